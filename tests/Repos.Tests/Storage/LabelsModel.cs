using System.ComponentModel.DataAnnotations;
using Repos.Migrations;

namespace Repos.Tests.Storage;

/// <summary>
/// A string-keyed entity at version 2 whose migration from version 1 splits a row named "split" into a second
/// row under the key its <see cref="Label.SplitKey"/> names (a key longer than the limit, in the key tests).
/// </summary>
[Entity("labels", Version = 2)]
public partial record Label
{
    [Key]
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public string? SplitKey { get; init; }

    internal static partial void MigrateFromVersion1(StoredRow row)
    {
        if (row.GetOrDefault<string?>("SplitKey", null) is { } key)
        {
            StoredRow copy = row.Split();
            copy.Set("Id", key);
            copy.Set("SplitKey", (string?)null);
        }
    }
}

[Database(typeof(Label))]
public partial class LabelsDb;
