using Repos;
using Repos.Migrations;
using Repos.Tests.Storage;

// Usage: Repos.Tests.Child open-v3 <file>
// Opens the file with the version 3 Note model and says whether this process ran the migration.
if (args.Length == 2 && args[0] == "open-v3")
{
    var progress = new Counter();
    await using NotesDbV3 db = await NotesDbV3.OpenAsync(args[1], new ReposDatabaseOptions { MigrationProgress = progress });
    Console.WriteLine($"migrated={progress.Rows} count={await db.Notes.CountAsync()}");
    return 0;
}

Console.Error.WriteLine("usage: Repos.Tests.Child open-v3 <file>");
return 2;

internal sealed class Counter : IProgress<MigrationProgress>
{
    public long Rows { get; private set; }

    public void Report(MigrationProgress value) => Rows = value.RowsDone;
}
