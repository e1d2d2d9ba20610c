namespace Repos.Recovery;

/// <summary>A row a salvage could not keep, by key.</summary>
/// <param name="Key">The row's key, as text (as <see cref="CorruptedRowException.Key"/> gives it).</param>
/// <param name="Reason">Why it was lost: its blob is damaged, its page is destroyed (the key is known from an index), ...</param>
public sealed record LostRow(string Key, string Reason);
