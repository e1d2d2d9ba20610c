
namespace Repos;

/// <summary>
/// An entity broke one or more validation rules, so nothing was written. <see cref="Errors"/> lists every
/// broken rule with its property, rule and value.
/// </summary>
public sealed class EntityValidationException : ReposException
{
    /// <summary>Creates the exception for an entity and the rules it breaks.</summary>
    /// <param name="entityName">The entity type.</param>
    /// <param name="key">The entity's key, as text.</param>
    /// <param name="errors">The broken rules.</param>
    public EntityValidationException(string entityName, string? key, IReadOnlyList<ValidationError> errors)
        : base(BuildMessage(entityName, key, errors))
    {
        EntityName = entityName;
        Key = key;
        Errors = errors;
    }

    /// <summary>The entity type.</summary>
    public string EntityName { get; }

    /// <summary>The entity's key, as text.</summary>
    public string? Key { get; }

    /// <summary>Every broken rule.</summary>
    public IReadOnlyList<ValidationError> Errors { get; }

    private static string BuildMessage(string entityName, string? key, IReadOnlyList<ValidationError> errors)
    {
        string header = $"{entityName} {key} is not valid ({errors.Count} {(errors.Count == 1 ? "rule" : "rules")} broken); nothing was written:";
        return header + string.Concat(errors.Select(e => Environment.NewLine + "  " + e));
    }
}
