namespace Repos;

/// <summary>
/// Marks an <see cref="EntityAttribute">entity</see> as synced between devices: every write to it records,
/// in the same transaction, the fields it changed, each with a hybrid-logical-clock stamp, and the sync engine
/// pushes those changes and merges everyone else's, field by field (the higher stamp wins). Entities without
/// it record nothing and pay nothing. docs/sync.md describes the merge rule and what is kept.
/// </summary>
/// <remarks>
/// The key must be one that two devices never both choose for different rows: one the app gives (a
/// <see cref="Guid"/>, a name), or a <see cref="Guid"/> key Repos assigns. A key Repos assigns from the file's
/// counter (an <c>int</c> or <c>long</c> marked <c>[DatabaseGenerated(Identity)]</c>) is refused (REPOS070).
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SyncedAttribute : Attribute
{
}
