using Repos.Internal;

namespace Repos.Storage;

/// <summary>An entity as the file's catalog records it.</summary>
/// <param name="Name">The entity's name.</param>
/// <param name="TableName">Its table.</param>
/// <param name="Type">The stored type whose field ids its blobs use.</param>
/// <param name="KeyKind">How its key is stored.</param>
/// <param name="Version">The schema version its rows were last migrated to.</param>
internal sealed record StoredEntity(string Name, string TableName, string Type, ColumnKind KeyKind, int Version);
