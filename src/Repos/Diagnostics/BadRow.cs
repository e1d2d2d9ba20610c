namespace Repos.Diagnostics;

/// <summary>A damaged or inconsistent row found by <see cref="ReposDatabase.VerifyAsync"/>.</summary>
/// <param name="Entity">The entity the row belongs to.</param>
/// <param name="Key">The row's key, as text (as <see cref="CorruptedRowException.Key"/> gives it).</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Message">What is wrong, in words, with the values or offsets involved.</param>
public sealed record BadRow(string Entity, string Key, BadRowKind Kind, string Message)
{
    /// <summary>The row and its problem on one line.</summary>
    public override string ToString() => $"{Entity} {Key}: {Kind}: {Message}";
}
