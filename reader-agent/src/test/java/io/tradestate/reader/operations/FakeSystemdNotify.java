package io.tradestate.reader.operations;


import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in {@code systemd-notify}: a shell script in a folder of its own that appends one line per call to a file,
 * {@code <NOTIFY_SOCKET>|<arguments>}, and fails with exit status 1 while a file named {@code fail} is next to it.
 */
final class FakeSystemdNotify
{
    static final String SOCKET = "/run/fake/notify";

    private final Path folder;

    FakeSystemdNotify(final Path folder) throws IOException
    {
        this.folder = folder;
        final Path script = folder.resolve(SystemdNotifier.COMMAND);
        Files.writeString(script, String.join("\n",
            "#!/bin/sh",
            "dir=\"$(dirname \"$0\")\"",
            "if [ -e \"$dir/fail\" ]; then echo 'Failed to notify init system' >&2; exit 1; fi",
            "printf '%s|%s\\n' \"$NOTIFY_SOCKET\" \"$*\" >> \"$dir/calls\"",
            ""), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    Map<String, String> environment(final String... extra)
    {
        final Map<String, String> environment = new HashMap<>();
        environment.put("PATH", "/nonexistent:" + folder);
        environment.put(SystemdNotifier.NOTIFY_SOCKET_ENV, SOCKET);
        for (int i = 0; i < extra.length; i += 2)
        {
            environment.put(extra[i], extra[i + 1]);
        }
        return environment;
    }

    List<String> calls() throws IOException
    {
        final Path calls = folder.resolve("calls");
        return Files.exists(calls) ? Files.readAllLines(calls, StandardCharsets.UTF_8) : List.of();
    }

    void failing(final boolean fail) throws IOException
    {
        if (fail)
        {
            Files.writeString(folder.resolve("fail"), "");
        }
        else
        {
            Files.deleteIfExists(folder.resolve("fail"));
        }
    }
}
