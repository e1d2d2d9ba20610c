using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos.Tests;

/// <summary>
/// Changes a file's catalog by SQL as another version of Repos or of the app would: the change is sealed
/// (<see cref="CatalogSeal"/>) in the same transaction. An edit without the seal is damage, which the next
/// open repairs from the sealed copy.
/// </summary>
internal static class CatalogEdit
{
    public static void Run(string path, string sql)
    {
        using SqliteConnection connection = SqliteConnection.Open(path, readOnly: false, create: false);
        connection.BeginImmediate();
        connection.Execute(sql);
        CatalogSeal.Seal(connection);
        connection.Commit();
    }
}
