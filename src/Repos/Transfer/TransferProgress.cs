namespace Repos.Transfer;

/// <summary>How far an export or import has got, reported through <see cref="IProgress{T}"/>.</summary>
/// <param name="Entity">The entity whose rows are being read or written.</param>
/// <param name="Rows">The rows of <paramref name="Entity"/> done so far.</param>
/// <param name="TotalRows">The rows of <paramref name="Entity"/> there are to do, or null when not known ahead.</param>
/// <param name="Bytes">The bytes written (export) or read (import) so far, all entities together.</param>
public sealed record TransferProgress(string Entity, long Rows, long? TotalRows, long Bytes);
