namespace Repos.Storage;

/// <summary>The kinds of change the single write path of a table applies.</summary>
internal enum WriteKind
{
    Insert,
    Upsert,
    Update,
    Delete,
}
