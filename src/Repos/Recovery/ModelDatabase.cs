namespace Repos.Recovery;

/// <summary>A database opened with a <see cref="ReposModel"/> alone, without the generated class (no repositories).</summary>
internal sealed class ModelDatabase : ReposDatabase
{
    private ModelDatabase()
    {
    }

    public static async ValueTask<ModelDatabase> OpenAsync(string path, ReposModel model, ReposDatabaseOptions? options, CancellationToken cancellationToken)
    {
        var database = new ModelDatabase();
        try
        {
            await database.OpenCoreAsync(path, options, model.Entities, model.Version, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return database;
    }
}
