package dev.gatehouse.app;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.HostPort;
import dev.gatehouse.http.ParentProxies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Builds the {@link ParentProxies} from {@code forwarding.parent}, reading the parent's password from its file. */
final class ParentSetup {
    private ParentSetup() {}

    /** @throws IOException naming the password file when it cannot be read or its first line is empty (never the password) */
    static ParentProxies from(GatehouseConfig.Parent config) throws IOException {
        if (!config.enabled()) return ParentProxies.NONE;
        List<ParentProxies.Parent> parents = config.proxies().stream().map(HostPort::parse)
                .map(hp -> new ParentProxies.Parent(hp.host(), hp.port())).toList();
        String authorization = config.user().isEmpty() ? null : ParentProxies.basic(config.user(), password(Path.of(config.passwordFile())));
        return new ParentProxies(parents, authorization, config.directDomains(), config.fallbackDirect(),
                GatehouseConfig.Parent.SKIP_AFTER_FAILURE, System::nanoTime, ParentProxies.Selection.named(config.selection()));
    }

    private static String password(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read forwarding.parent.passwordFile: " + e, e);
        }
        if (lines.isEmpty() || lines.getFirst().isEmpty()) throw new IOException(file + ":1: forwarding.parent.passwordFile is empty");
        return lines.getFirst();
    }
}
