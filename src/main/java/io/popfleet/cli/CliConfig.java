package io.popfleet.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Where the controller is and which token to use: the {@code --url}/{@code --token} options first, then
 * {@code POPFLEET_URL}/{@code POPFLEET_TOKEN}, then the config file ({@code ~/.config/popfleet/config}, or
 * {@code POPFLEET_CONFIG}), which holds a secret and is therefore refused unless only its owner can read it.
 */
public record CliConfig(URI url, String token, Path caFile) {

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    /** The config file this environment names, or the default one under the home directory. */
    public static Path defaultFile(Map<String, String> env) {
        if (env.get("POPFLEET_CONFIG") != null && !env.get("POPFLEET_CONFIG").isBlank()) {
            return Path.of(env.get("POPFLEET_CONFIG"));
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return base.resolve("popfleet").resolve("config");
    }

    public static CliConfig resolve(String urlOption, String tokenOption, Path caOption, Map<String, String> env,
            Path file) {
        String url = firstSet(urlOption, env.get("POPFLEET_URL"));
        String token = firstSet(tokenOption, env.get("POPFLEET_TOKEN"));
        String ca = caOption == null ? env.get("POPFLEET_CA_FILE") : caOption.toString();
        if (url == null || token == null || ca == null) {
            Map<String, String> settings = read(file);
            url = firstSet(url, settings.get("url"));
            token = firstSet(token, settings.get("token"));
            ca = firstSet(ca, settings.get("ca-file"));
        }
        if (url == null) {
            throw new CliException(ExitCodes.USAGE, "no controller URL: pass --url, set POPFLEET_URL or put url = ..."
                    + " in " + file);
        }
        if (token == null) {
            throw new CliException(ExitCodes.USAGE, "no API token: set POPFLEET_TOKEN, put token = pft_... in " + file
                    + " or pass --token");
        }
        return new CliConfig(checkedUrl(url), token, ca == null ? null : Path.of(ca));
    }

    private static URI checkedUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "the controller URL is not a URL: " + url);
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme())
                || uri.getHost() == null) {
            throw new CliException(ExitCodes.USAGE, "the controller URL must be http(s)://HOST[:PORT]: " + url);
        }
        return uri;
    }

    /** {@code key = value} lines, {@code #} comments; an absent file is no settings, an unsafe one an error. */
    static Map<String, String> read(Path file) {
        Map<String, String> settings = new HashMap<>();
        if (file == null || !Files.exists(file)) {
            return settings;
        }
        try {
            if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
                if (permissions.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
                    throw new CliException(ExitCodes.USAGE, "refusing " + file + ": it holds a token, so it must be"
                            + " readable by you alone (chmod 600 " + file + ")");
                }
            }
            int number = 0;
            for (String line : Files.readAllLines(file)) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int equals = trimmed.indexOf('=');
                if (equals < 1) {
                    throw new CliException(ExitCodes.USAGE, file + " line " + number + ": expected key = value");
                }
                settings.put(trimmed.substring(0, equals).strip(), trimmed.substring(equals + 1).strip());
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
        }
        return settings;
    }

    private static String firstSet(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
