using System.Globalization;

namespace Repos.Backup;

/// <summary>One recorded backup of a database: a complete copy of the file, and what is known about it.</summary>
public sealed class BackupInfo
{
    internal BackupInfo(
        string id,
        string path,
        BackupKind kind,
        DateTimeOffset createdAt,
        long size,
        bool isVerified,
        int? databaseVersion,
        uint? checksum)
    {
        Id = id;
        Path = path;
        Kind = kind;
        CreatedAt = createdAt;
        Size = size;
        IsVerified = isVerified;
        DatabaseVersion = databaseVersion;
        Checksum = checksum;
    }

    /// <summary>
    /// The backup's identifier within its folder, such as <c>20261122-101500-123-manual</c>: the time it was
    /// taken (UTC), then its kind. Identifiers sort in the order backups were taken.
    /// </summary>
    public string Id { get; }

    /// <summary>The full path of the backup file: a Repos database file that SQLite opens as it is.</summary>
    public string Path { get; }

    /// <summary>Why the backup was taken.</summary>
    public BackupKind Kind { get; }

    /// <summary>When the database was copied (UTC): the backup holds every transaction committed before.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>The size of the backup file in bytes.</summary>
    public long Size { get; }

    /// <summary>
    /// Whether the copy passed verification when it was taken: SQLite's <c>quick_check</c> found every page
    /// whole and the file holds a Repos catalog. False only for <see cref="BackupKind.BeforeRestore"/>
    /// files, which are kept as they were, damaged or not.
    /// </summary>
    public bool IsVerified { get; }

    /// <summary>
    /// The database version (<see cref="DatabaseAttribute.Version"/>) of the copied file, or null when it
    /// could not be read (a damaged file kept by a restore).
    /// </summary>
    public int? DatabaseVersion { get; }

    /// <summary>The CRC-32C of the whole file when it was recorded, checked again before it is restored.</summary>
    internal uint? Checksum { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Id} ({Kind}, {CreatedAt:yyyy-MM-dd HH:mm:ss}Z, {Size} bytes{(IsVerified ? ", verified" : string.Empty)})");
}
