using Repos.Internal;

namespace Repos.Transfer;

/// <summary>Which entities and rows an export takes, from its options and the file's catalog.</summary>
internal static class ExportPlan
{
    /// <summary>The sources of the export, in the catalog's order of entities.</summary>
    /// <param name="catalog">The file's catalog.</param>
    /// <param name="options">What was asked for.</param>
    /// <param name="definitions">The app's definitions by entity name; empty without the app.</param>
    /// <param name="owner">The database (or file) the ranges must come from.</param>
    /// <exception cref="ArgumentException">An entity the file does not have, or a range of another database or a second one of an entity.</exception>
    public static List<ExportSource> Sources(
        BundleCatalog catalog, BundleExportOptions options, IReadOnlyDictionary<string, EntityDefinition> definitions, object owner)
    {
        var ranges = new Dictionary<string, ExportRange>(StringComparer.Ordinal);
        foreach (ExportRange range in options.Ranges)
        {
            ArgumentNullException.ThrowIfNull(range, nameof(options));
            if (!ReferenceEquals(range.Owner, owner))
            {
                throw new ArgumentException($"The range of {range.EntityName} is a query of another database.", nameof(options));
            }

            if (!ranges.TryAdd(range.EntityName, range))
            {
                throw new ArgumentException($"The export has two ranges of {range.EntityName}; give it at most one per entity.", nameof(options));
            }
        }

        HashSet<string>? wanted = null;
        if (options.Entities is not null || ranges.Count > 0)
        {
            wanted = new HashSet<string>(ranges.Keys, StringComparer.Ordinal);
            foreach (string name in options.Entities ?? [])
            {
                wanted.Add(name);
            }
        }

        foreach (string name in wanted ?? [])
        {
            if (catalog.Entity(name) is null)
            {
                throw new ArgumentException(
                    $"The file has no entity {name}; it has {string.Join(", ", catalog.Entities.Select(e => e.Name))}.", nameof(options));
            }
        }

        var sources = new List<ExportSource>();
        foreach (BundleEntity entity in catalog.Entities)
        {
            if (wanted is null || wanted.Contains(entity.Name))
            {
                sources.Add(new ExportSource(entity, definitions.GetValueOrDefault(entity.Name), ranges.GetValueOrDefault(entity.Name)?.Resolve));
            }
        }

        return sources;
    }

    /// <summary>The source of a CSV export of <paramref name="entity"/>.</summary>
    public static ExportSource CsvSource(
        BundleCatalog catalog, string entity, CsvExportOptions options, IReadOnlyDictionary<string, EntityDefinition> definitions, object owner)
    {
        BundleEntity stored = catalog.Entity(entity)
            ?? throw new ArgumentException($"The file has no entity {entity}; it has {string.Join(", ", catalog.Entities.Select(e => e.Name))}.", nameof(entity));
        if (options.Range is { } range && (range.EntityName != entity || !ReferenceEquals(range.Owner, owner)))
        {
            throw new ArgumentException($"The range is of {range.EntityName}{(ReferenceEquals(range.Owner, owner) ? string.Empty : " in another database")}, not of {entity}.", nameof(options));
        }

        return new ExportSource(stored, definitions.GetValueOrDefault(entity), options.Range?.Resolve);
    }
}
