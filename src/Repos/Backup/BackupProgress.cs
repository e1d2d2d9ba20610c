namespace Repos.Backup;

/// <summary>How far a backup's copy has got.</summary>
/// <param name="BytesCopied">The bytes of the database copied so far.</param>
/// <param name="BytesTotal">The size of the database being copied.</param>
public readonly record struct BackupProgress(long BytesCopied, long BytesTotal);
