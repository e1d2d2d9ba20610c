namespace Repos.Diagnostics;

/// <summary>What is wrong with a row <see cref="ReposDatabase.VerifyAsync"/> reports.</summary>
public enum BadRowKind
{
    /// <summary>The blob's payload does not match the CRC-32C checksum recorded with it: its bytes changed.</summary>
    Checksum,

    /// <summary>The blob is not a valid envelope: unknown format or flags, truncated, or a damaged LZ4 block.</summary>
    Envelope,

    /// <summary>The blob's payload passed its checksum but does not decode as the entity.</summary>
    Payload,

    /// <summary>The row is stored at an older version and upgrading it in memory failed (lazily migrated entities).</summary>
    Migration,

    /// <summary>The key decoded from the blob differs from the row's key column.</summary>
    KeyMismatch,

    /// <summary>An index column differs from the value computed from the blob, so index queries would miss or misplace the row.</summary>
    IndexColumn,

    /// <summary>
    /// The row's <c>_schema</c> column disagrees with the version in its blob, or the version is one the
    /// catalog says no row of the entity can have.
    /// </summary>
    SchemaVersion,

    /// <summary>
    /// The blob holds a field id the catalog does not name for the entity's type: the catalog lost the field
    /// (ids are never removed), so reading the row would give the field's default instead of its value.
    /// </summary>
    UnknownField,
}
