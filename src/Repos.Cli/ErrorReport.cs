using Repos.Backup;

namespace Repos.Cli;

/// <summary>Turns an exception into the exit code and the one line the command ends with.</summary>
internal static class ErrorReport
{
    // SQLite's primary result codes that say something about the file rather than the operation.
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteCorrupt = 11;
    private const int SqliteCantOpen = 14;
    private const int SqliteNotADatabase = 26;

    /// <summary>The exit code for <paramref name="exception"/> (<see cref="ExitCodes"/>).</summary>
    public static int ExitCodeOf(Exception exception) => exception switch
    {
        CliException cli => cli.ExitCode,

        // What the user named is not there: an entity, an index, a value of the wrong type, a backup.
        ArgumentException or BackupNotFoundException => ExitCodes.Usage,

        // The file itself: missing, another program's, written by a newer Repos, or held by another process.
        FileNotFoundException or DirectoryNotFoundException or ReposSchemaException => ExitCodes.CannotOpen,
        ReposStorageException { ResultCode: SqliteBusy or SqliteLocked or SqliteCantOpen or SqliteNotADatabase } => ExitCodes.CannotOpen,

        // Bytes that are not what was written: a damaged row, page or catalog; a salvage with nothing to go by.
        ReposFormatException or ReposRecoveryException => ExitCodes.Damaged,
        ReposStorageException { ResultCode: SqliteCorrupt } => ExitCodes.Damaged,

        // A backup that fails its check, or a bundle that does not import, is refused before the file is changed.
        BackupVerificationException => ExitCodes.Refused,
        Transfer.BundleFormatException or Transfer.BundleImportException or UniqueIndexViolationException => ExitCodes.Refused,

        // Everything else stopped part way: Repos' operations are transactional or write beside the file and
        // rename, and the command writes its own outputs the same way, so nothing was changed.
        _ => ExitCodes.Failed,
    };

    /// <summary>The exception's message on one line, without .NET's "(Parameter 'x')" suffix.</summary>
    public static string MessageOf(Exception exception)
    {
        string message = exception switch
        {
            OperationCanceledException => "Cancelled; nothing was changed.",
            ArgumentException { ParamName: { } name } argument when argument.Message.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal) =>
                argument.Message[..^$" (Parameter '{name}')".Length],
            _ => exception.Message,
        };

        return string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
