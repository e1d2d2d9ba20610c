using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Repos.Storage;

namespace Repos.Backup;

/// <summary>
/// The small JSON file recorded beside each backup (<c>&lt;id&gt;.json</c> next to <c>&lt;id&gt;.db</c>).
/// Listing reads only these, so the backups of a database can be listed and restored when the database
/// itself cannot be opened. Written with <see cref="Utf8JsonWriter"/> and read with
/// <see cref="JsonDocument"/>: no reflection, and unknown properties are ignored so later versions can add
/// some.
/// </summary>
/// <remarks>
/// <code>
/// {"format":1,"id":"20261122-101500-123-manual","kind":"Manual","createdAt":"2026-11-22T10:15:00.123+00:00",
///  "file":"20261122-101500-123-manual.db","size":1073741824,"crc32c":"9a3b4c5d","verified":true,
///  "databaseVersion":3,"database":"/home/me/app/symptoms.db"}
/// </code>
/// </remarks>
internal static class BackupManifest
{
    /// <summary>The manifest layout this version writes; a manifest with a higher one is not listed.</summary>
    public const int FormatVersion = 1;

    public const string DataExtension = ".db";
    public const string ManifestExtension = ".json";
    public const string PartialExtension = ".partial";

    /// <summary>Writes the manifest of <paramref name="backup"/> into its folder: a new file, flushed, renamed into place.</summary>
    public static void Write(BackupInfo backup, string databasePath)
    {
        string folder = Path.GetDirectoryName(backup.Path)!;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("format", FormatVersion);
            json.WriteString("id", backup.Id);
            json.WriteString("kind", NameOf(backup.Kind));
            json.WriteString("createdAt", backup.CreatedAt.ToUniversalTime());
            json.WriteString("file", Path.GetFileName(backup.Path));
            json.WriteNumber("size", backup.Size);
            if (backup.Checksum is { } checksum)
            {
                json.WriteString("crc32c", checksum.ToString("x8", CultureInfo.InvariantCulture));
            }

            json.WriteBoolean("verified", backup.IsVerified);
            if (backup.DatabaseVersion is { } version)
            {
                json.WriteNumber("databaseVersion", version);
            }
            else
            {
                json.WriteNull("databaseVersion");
            }

            json.WriteString("database", databasePath);
            json.WriteEndObject();
        }

        string manifest = Path.Combine(folder, backup.Id + ManifestExtension);
        string partial = manifest + PartialExtension;
        File.Delete(partial);
        DurableFile.Write(partial, buffer.WrittenSpan);
        File.Move(partial, manifest, overwrite: true);
        DurableFile.FlushFolder(folder);
    }

    /// <summary>The kind as the manifest names it.</summary>
    public static string NameOf(BackupKind kind) => kind switch
    {
        BackupKind.Manual => "Manual",
        BackupKind.Scheduled => "Scheduled",
        BackupKind.BeforeMigration => "BeforeMigration",
        BackupKind.BeforeImport => "BeforeImport",
        BackupKind.BeforeRestore => "BeforeRestore",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a backup kind."),
    };

    /// <summary>The kind as a backup's identifier ends with it: <c>manual</c>, <c>before-migration</c>...</summary>
    public static string SlugOf(BackupKind kind) => kind switch
    {
        BackupKind.Manual => "manual",
        BackupKind.Scheduled => "scheduled",
        BackupKind.BeforeMigration => "before-migration",
        BackupKind.BeforeImport => "before-import",
        BackupKind.BeforeRestore => "before-restore",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a backup kind."),
    };

    private static bool TryParseKind(string? name, out BackupKind kind)
    {
        foreach (BackupKind candidate in (ReadOnlySpan<BackupKind>)[BackupKind.Manual, BackupKind.Scheduled, BackupKind.BeforeMigration, BackupKind.BeforeImport, BackupKind.BeforeRestore])
        {
            if (name == NameOf(candidate))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>
    /// Reads the manifest at <paramref name="manifestPath"/>. Returns null for a manifest that is damaged,
    /// from a newer version of Repos, or whose backup file is gone.
    /// </summary>
    public static BackupInfo? TryRead(string manifestPath)
    {
        string folder = Path.GetDirectoryName(manifestPath)!;
        string id = Path.GetFileNameWithoutExtension(manifestPath);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(manifestPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;   // deleted since the folder was listed, or no backup was ever taken
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(bytes);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("format", out JsonElement format) || format.GetInt32() is < 1 or > FormatVersion
                || root.GetProperty("id").GetString() != id
                || !TryParseKind(root.GetProperty("kind").GetString(), out BackupKind kind)
                || root.GetProperty("file").GetString() is not { } file
                || file != id + DataExtension)
            {
                return null;
            }

            string path = Path.Combine(folder, file);
            if (!File.Exists(path))
            {
                return null;
            }

            uint? checksum = root.TryGetProperty("crc32c", out JsonElement crc) && crc.ValueKind == JsonValueKind.String
                ? uint.Parse(crc.GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                : null;
            int? version = root.TryGetProperty("databaseVersion", out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
            return new BackupInfo(
                id,
                path,
                kind,
                root.GetProperty("createdAt").GetDateTimeOffset().ToUniversalTime(),
                root.GetProperty("size").GetInt64(),
                root.TryGetProperty("verified", out JsonElement verified) && verified.ValueKind == JsonValueKind.True,
                version,
                checksum);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or OverflowException)
        {
            // A damaged manifest: the backup beside it is not listed (and so never deleted by retention).
            return null;
        }
    }
}
