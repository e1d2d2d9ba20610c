namespace Repos.Diagnostics;

/// <summary>How far <see cref="ReposDatabase.VerifyAsync"/> has come.</summary>
/// <param name="Stage">What it is doing.</param>
/// <param name="Entity">The entity whose rows it is reading, during <see cref="VerifyStage.Rows"/>.</param>
/// <param name="RowsChecked">The rows checked so far, over all entities.</param>
/// <param name="RowsTotal">The rows there are to check, over all entities.</param>
public readonly record struct VerifyProgress(VerifyStage Stage, string? Entity, long RowsChecked, long RowsTotal);
