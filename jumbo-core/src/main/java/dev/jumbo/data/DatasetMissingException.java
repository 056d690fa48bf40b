package dev.jumbo.data;

/**
 * A dataset is not installed. The message names what is missing and holds the exact command that
 * installs it ({@link #installCommand()}).
 */
public final class DatasetMissingException extends IllegalStateException {
    private final String installCommand;

    public DatasetMissingException(String dataset, String missing, String installCommand) {
        super(dataset + ": not installed (" + missing + " is missing): install it with: " + installCommand
                + "   (or: ./jumbo data " + dataset + " --install)");
        this.installCommand = installCommand;
    }

    /** The shell command that installs the dataset. */
    public String installCommand() {
        return installCommand;
    }
}
