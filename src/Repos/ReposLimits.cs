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
}
