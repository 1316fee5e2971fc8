package dev.gatehouse.config;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Watches a folder (and its sub-folders) of files the proxy re-reads (the policy, htpasswd and group
 * files) and calls back once changes have settled for a debounce interval, so that an editor's save
 * dance (temp file, rename, chmod) triggers one reload, not five. Runs on its own daemon thread.
 */
public final class FolderWatcher implements AutoCloseable {
    private final WatchService service;
    private final Duration debounce;
    private final Runnable onChange;
    private final Thread thread;

    /**
     * @param folder the folder to watch, e.g. {@code policies/}
     * @param debounce quiet time before the callback runs (500 ms suits editors)
     * @param onChange called on the watcher thread after changes settle
     * @throws IOException if the folder cannot be watched
     */
    public FolderWatcher(Path folder, Duration debounce, Runnable onChange) throws IOException {
        this.service = FileSystems.getDefault().newWatchService();
        this.debounce = debounce;
        this.onChange = onChange;
        registerTree(folder);
        this.thread = new Thread(this::run, "folder-watcher");
        thread.setDaemon(true);
    }

    /** Starts watching. */
    public void start() {
        thread.start();
    }

    private void registerTree(Path folder) throws IOException {
        try (Stream<Path> folders = Files.walk(folder)) {
            for (Path dir : (Iterable<Path>) folders.filter(Files::isDirectory)::iterator) {
                dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
    }

    private void run() {
        try {
            while (true) {
                drain(service.take());
                // Debounce: keep absorbing events until the folder is quiet for the interval.
                WatchKey next;
                while ((next = service.poll(debounce.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    drain(next);
                }
                onChange.run();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: stop quietly
        }
    }

    private void drain(WatchKey key) {
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && key.watchable() instanceof Path dir
                    && event.context() instanceof Path name && Files.isDirectory(dir.resolve(name))) {
                try {
                    registerTree(dir.resolve(name));
                } catch (IOException e) {
                    // the folder vanished again; nothing to watch
                }
            }
        }
        key.reset();
    }

    /** Stops watching. */
    @Override
    public void close() throws IOException {
        service.close();
        thread.interrupt();
    }
}
