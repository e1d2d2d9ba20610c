using Repos.Internal;
using Repos.Serialization;
using Repos.Storage.Sqlite;

namespace Repos.Tests.Generated;

public sealed class ConsistencyTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task RandomWrites_WithRolledBackTransactions_KeepIndexColumnsBlobsAndQueriesConsistent()
    {
        int seed = FuzzSeed.Get(31337);
        var random = new Random(seed);
        string path = _folder.File("journal.db");
        var model = new Dictionary<Guid, JournalEntry>();
        string[] users = ["ann", "bob", "cy"];

        await using (JournalDb db = await JournalDb.OpenAsync(path))
        {
            for (int round = 0; round < 60; round++)
            {
                bool inTransaction = random.Next(3) == 0;
                bool rollBack = inTransaction && random.Next(2) == 0;
                var before = new Dictionary<Guid, JournalEntry>(model);
                ReposTransaction? tx = inTransaction ? await db.BeginTransactionAsync() : null;
                try
                {
                    for (int op = 0; op < 20; op++)
                    {
                        await ApplyRandomWrite(db, model, users, random);
                    }

                    if (tx is not null)
                    {
                        if (rollBack)
                        {
                            await tx.RollbackAsync();
                            model = before;
                        }
                        else
                        {
                            await tx.CommitAsync();
                        }
                    }
                }
                finally
                {
                    if (tx is not null)
                    {
                        await tx.DisposeAsync();
                    }
                }
            }

            Assert.True(model.Count > 20, $"seed {seed}: only {model.Count} entries left");
            Assert.Equal(model.Count, await db.JournalEntries.CountAsync());
            foreach (string user in users)
            {
                List<JournalEntry> stored = await db.JournalEntries.ByUserIdAndDate(user).ToListAsync();
                Assert.Equal(
                    model.Values.Where(e => e.UserId == user).OrderBy(e => e.Date).Select(e => e.Id),
                    stored.Select(e => e.Id));
            }

            AssertColumnsMatchBlobs(db, model, seed);
        }
    }

    private static async Task ApplyRandomWrite(JournalDb db, Dictionary<Guid, JournalEntry> model, string[] users, Random random)
    {
        int operation = random.Next(7);
        bool reuseKey = operation switch
        {
            0 or 1 => random.Next(8) == 0,          // inserts mostly use new keys, sometimes a taken one
            2 or 3 => random.Next(8) != 0,          // updates mostly name an existing row
            4 or 5 => random.Next(2) == 0,          // upserts insert or replace
            _ => random.Next(4) != 0,               // deletes mostly hit
        };
        JournalEntry? existing = reuseKey && model.Count > 0 ? model.Values.ElementAt(random.Next(model.Count)) : null;
        JournalEntry candidate = new()
        {
            Id = existing?.Id ?? Guid.NewGuid(),
            UserId = users[random.Next(users.Length)],
            Date = new DateOnly(2026, 1, 1).AddDays(random.Next(40)),
            Score = random.Next(1, 11),
            Mood = (Mood)random.Next(1, 4),
            Text = random.Next(2) == 0 ? null : $"text {random.Next()}",
            WrittenAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(random.Next(100_000)),
        };

        bool clashes = model.Values.Any(e => e.Id != candidate.Id && e.UserId == candidate.UserId && e.Date == candidate.Date);
        switch (operation)
        {
            case 0 or 1:
                if (existing is null && !clashes)
                {
                    await db.JournalEntries.InsertAsync(candidate);
                    model[candidate.Id] = candidate;
                }
                else
                {
                    await Assert.ThrowsAnyAsync<ReposException>(() => db.JournalEntries.InsertAsync(candidate).AsTask());
                }

                break;
            case 2 or 3:
                if (existing is not null && !clashes)
                {
                    await db.JournalEntries.UpdateAsync(candidate);
                    model[candidate.Id] = candidate;
                }
                else
                {
                    await Assert.ThrowsAnyAsync<ReposException>(() => db.JournalEntries.UpdateAsync(candidate).AsTask());
                }

                break;
            case 4 or 5:
                if (!clashes)
                {
                    await db.JournalEntries.UpsertAsync(candidate);
                    model[candidate.Id] = candidate;
                }
                else
                {
                    await Assert.ThrowsAsync<UniqueIndexViolationException>(() => db.JournalEntries.UpsertAsync(candidate).AsTask());
                }

                break;
            default:
                Assert.Equal(existing is not null, await db.JournalEntries.DeleteAsync(candidate.Id));
                model.Remove(candidate.Id);
                break;
        }
    }

    /// <summary>Reads every row's stored index columns and checks them against the values its blob decodes to.</summary>
    private static void AssertColumnsMatchBlobs(JournalDb db, Dictionary<Guid, JournalEntry> model, int seed)
    {
        JournalEntryDefinition definition = JournalEntryDefinition.Instance;
        string columns = string.Join(", ", definition.Columns.Select(c => $"\"{c.Name}\""));
        using SqliteConnection connection = SqliteConnection.Open(db.Path, readOnly: true, create: false);
        using SqliteStatement rows = connection.PrepareOnce($"SELECT key, {columns}, _schema, _blob FROM \"JournalEntry\"");
        var expected = new ColumnValue[definition.Columns.Count];
        int count = 0;
        while (rows.Step())
        {
            count++;
            using BlobPayload payload = BlobEnvelope.Read(rows.ColumnBlob(definition.Columns.Count + 2));
            var reader = new MessagePackReader(payload.Span);
            JournalEntry entity = definition.Read(ref reader, db.Context);
            Assert.Equal(definition.GetKeyColumn(entity.Id), ColumnValue.Read(rows, 0));
            Assert.True(model.ContainsKey(entity.Id), $"seed {seed}: row {entity.Id} is not in the model");
            Assert.Equal(model[entity.Id].Score, entity.Score);
            definition.GetIndexColumns(entity, expected);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(expected[i] == ColumnValue.Read(rows, i + 1), $"seed {seed}: {definition.Columns[i].Name} of {entity.Id}: column {ColumnValue.Read(rows, i + 1)}, blob {expected[i]}");
            }

            Assert.Equal(definition.Version, rows.ColumnInt64(definition.Columns.Count + 1));
        }

        Assert.Equal(model.Count, count);
    }
}
