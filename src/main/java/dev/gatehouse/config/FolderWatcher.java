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
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Watches a folder (and its sub-folders), or chosen files in one folder, that the proxy re-reads (the
 * policy; the htpasswd and group files) and calls back once changes have settled for a debounce interval, so that an editor's save
 * dance (temp file, rename, chmod) triggers one reload, not five. Runs on its own daemon thread.
 * A watcher of chosen files says which of them changed, so the caller re-reads only those.
 */
public final class FolderWatcher implements AutoCloseable {
    private final WatchService service;
    private final Duration debounce;
    private final Consumer<Set<Path>> onChange;
    private final Predicate<Path> relevant;
    /** What is reported when events were lost (an overflow): everything watched may have changed. */
    private final Set<Path> everything;
    private final boolean recursive;
    private final Thread thread;
    /** The relevant paths changed since the last callback (watcher thread only). */
    private final Set<Path> changed = new HashSet<>();

    /**
     * Watches {@code folder} and its sub-folders; any change counts.
     *
     * @param folder the folder to watch, e.g. {@code policies/}
     * @param debounce quiet time before the callback runs (500 ms suits editors)
     * @param onChange called on the watcher thread after changes settle
     * @throws IOException if the folder cannot be watched
     */
    public FolderWatcher(Path folder, Duration debounce, Runnable onChange) throws IOException {
        this(folder, true, path -> true, Set.of(folder), debounce, changed -> onChange.run());
    }

    /**
     * Watches only {@code files} (absolute, normalised paths) in their folder, not its sub-folders: other files
     * there (the main config beside an htpasswd file, say) do not call back.
     *
     * @param onChange called on the watcher thread after changes settle, with the files among {@code files} that
     *                 changed (all of them when the system lost events)
     * @throws IOException if the folder cannot be watched
     */
    public static FolderWatcher ofFiles(Path folder, Set<Path> files, Duration debounce, Consumer<Set<Path>> onChange)
            throws IOException {
        Set<Path> watched = Set.copyOf(files);
        return new FolderWatcher(folder, false, watched::contains, watched, debounce, onChange);
    }

    private FolderWatcher(Path folder, boolean recursive, Predicate<Path> relevant, Set<Path> everything, Duration debounce,
                          Consumer<Set<Path>> onChange) throws IOException {
        this.service = FileSystems.getDefault().newWatchService();
        this.debounce = debounce;
        this.onChange = onChange;
        this.relevant = relevant;
        this.everything = everything;
        this.recursive = recursive;
        if (recursive) registerTree(folder);
        else register(folder);
        this.thread = new Thread(this::run, "folder-watcher");
        thread.setDaemon(true);
    }

    /** Starts watching. */
    public void start() {
        thread.start();
    }

    private void registerTree(Path folder) throws IOException {
        try (Stream<Path> folders = Files.walk(folder)) {
            for (Path dir : (Iterable<Path>) folders.filter(Files::isDirectory)::iterator) register(dir);
        }
    }

    private void register(Path dir) throws IOException {
        dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
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
                if (!changed.isEmpty()) {
                    Set<Path> settled = Set.copyOf(changed);
                    changed.clear();
                    onChange.accept(settled);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: stop quietly
        }
    }

    private void drain(WatchKey key) {
        for (WatchEvent<?> event : key.pollEvents()) {
            if (!(key.watchable() instanceof Path dir && event.context() instanceof Path name)) {
                changed.addAll(everything); // an overflow: events were lost, so assume the worst
                continue;
            }
            if (relevant.test(dir.resolve(name))) changed.add(dir.resolve(name));
            if (recursive && event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(dir.resolve(name))) {
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
