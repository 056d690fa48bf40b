package dev.jumbo.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code jumbo --version}: the jar manifest's Implementation-Version, else the built resource. */
public final class VersionProvider implements IVersionProvider {

    /** The Jumbo version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        String v = JumboCli.class.getPackage().getImplementationVersion();
        if (v != null) {
            return v;
        }
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("version: cannot read version.properties", e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "jumbo " + version(),
            "JDK " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
