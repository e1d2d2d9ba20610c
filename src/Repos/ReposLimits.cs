namespace Repos;

/// <summary>The limits every Repos database holds its rows to.</summary>
public static class ReposLimits
{
    /// <summary>
    /// The longest key, in bytes as stored: a <c>string</c> key's UTF-8 encoding may be at most 1,024 bytes
    /// (341 characters of any script always fit; 1,024 of ASCII). Every write refuses a longer key before it
    /// writes anything: inserts, upserts and updates, one or many, imports, migrations that give a row a new key
    /// and archiving, with an <see cref="EntityValidationException"/> whose error is on the key property (rule
    /// <c>MaxKeyLength</c>). Reading and deleting by a longer key are allowed, so a row a version without the
    /// limit stored can still be found and removed. <c>int</c>, <c>long</c> and <c>Guid</c> keys are always shorter.
    /// </summary>
    public const int MaxKeyBytes = 1024;

    /// <summary>
    /// How deep objects and collections may nest inside one entity, counted as JSON counts them: the entity is
    /// level 1, a nested object or a collection one level deeper than what holds it (so <c>Next.Next</c> is level 3,
    /// <c>Children[0]</c> level 3). 64, the default of <see cref="Transfer.JsonImportOptions.MaxDepth"/>, so every
    /// stored entity exports to JSON that imports again. Every write refuses a deeper graph before it writes
    /// anything, with an <see cref="EntityValidationException"/> whose error (rule <c>MaxDepth</c>) names the path
    /// where the limit is passed; validation stops there, so a graph of any depth (or a cycle) costs bounded time,
    /// stack and memory. A stored row whose objects nest deeper than 64 (no writer stores one) is reported as
    /// corrupt (<see cref="CorruptedRowException"/>, and by verify), never read with unbounded stack.
    /// </summary>
    public const int MaxDepth = 64;
}
