using SQLitePCL;

namespace Repos.Cli.Tests;

/// <summary>Damage done to a file below Repos, through SQLite's C API, as a bad sector or a stray write would do it.</summary>
internal static class RawFile
{
    /// <summary>Flips every bit of the byte in the middle of the blob of the <paramref name="row"/>-th row of <paramref name="table"/>.</summary>
    public static void DamageBlob(string path, string table, int row)
    {
        Batteries_V2.Init();
        Check(raw.sqlite3_open(path, out sqlite3 db), db);
        try
        {
            long rowid;
            byte[] blob;
            Check(raw.sqlite3_prepare_v2(db, $"SELECT rowid, _blob FROM \"{table}\" ORDER BY rowid LIMIT 1 OFFSET {row}", out sqlite3_stmt select), db);
            using (select)
            {
                Assert.Equal(raw.SQLITE_ROW, raw.sqlite3_step(select));
                rowid = raw.sqlite3_column_int64(select, 0);
                blob = raw.sqlite3_column_blob(select, 1).ToArray();
            }

            blob[blob.Length / 2] ^= 0xFF;
            Check(raw.sqlite3_prepare_v2(db, $"UPDATE \"{table}\" SET _blob = ?1 WHERE rowid = ?2", out sqlite3_stmt update), db);
            using (update)
            {
                Check(raw.sqlite3_bind_blob(update, 1, blob), db);
                Check(raw.sqlite3_bind_int64(update, 2, rowid), db);
                Assert.Equal(raw.SQLITE_DONE, raw.sqlite3_step(update));
            }
        }
        finally
        {
            raw.sqlite3_close_v2(db);
        }
    }

    private static void Check(int result, sqlite3 db) =>
        Assert.True(result == raw.SQLITE_OK, $"SQLite said {result}: {raw.sqlite3_errmsg(db).utf8_to_string()}");
}
