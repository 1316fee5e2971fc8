package dev.gatehouse.auth;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The principals a keytab holds keys for, read so that a missing, unreadable or wrong keytab stops the start with
 * the file named (the JDK's {@code KeyTab} reads it only when a ticket arrives). The MIT format, version 0x0502 as
 * {@code ktutil}, {@code kadmin ktadd}, {@code ktpass} and {@code msktutil} write it: a 16-bit version, then entries,
 * each a signed 32-bit size (negative for a hole) followed by a 16-bit component count, the realm, the components
 * (each a 16-bit length and bytes), name type, timestamp, key version and key, all big-endian.
 */
final class KeytabFile {
    private static final int VERSION_2 = 0x0502;

    private KeytabFile() {}

    /**
     * @return the principals ({@code HTTP/proxy.corp.example@CORP.EXAMPLE}) with at least one key, in file order
     * @throws AuthLoadException naming the file, when it cannot be read or is not a keytab
     */
    static Set<String> principals(Path file) throws AuthLoadException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new AuthLoadException(file + ": keytab not found");
        } catch (IOException e) {
            throw new AuthLoadException(file + ": cannot read the keytab: " + e, e);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        Set<String> principals = new LinkedHashSet<>();
        try {
            int version = Short.toUnsignedInt(in.getShort());
            if (version != VERSION_2) {
                throw new AuthLoadException(file + ": not a keytab (version 0x0502) but starts with 0x"
                        + Integer.toHexString(version) + "; make it with ktpass, msktutil or kadmin ktadd");
            }
            while (in.remaining() >= 4) {
                int size = in.getInt();
                if (size == 0) break; // the end of a file that was extended in place
                if (size < 0) { // a deleted entry
                    in.position(in.position() - size);
                    continue;
                }
                ByteBuffer entry = in.slice(in.position(), size);
                in.position(in.position() + size);
                principals.add(principal(entry));
            }
        } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new AuthLoadException(file + ": the keytab is truncated or corrupt at byte " + in.position());
        }
        return principals;
    }

    private static String principal(ByteBuffer entry) {
        int components = Short.toUnsignedInt(entry.getShort());
        String realm = counted(entry);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < components; i++) names.add(counted(entry));
        return String.join("/", names) + "@" + realm;
    }

    private static String counted(ByteBuffer in) {
        byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
