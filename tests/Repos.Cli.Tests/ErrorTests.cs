using System.Text.Json;
using SQLitePCL;

namespace Repos.Cli.Tests;

/// <summary>How the tool fails: the exit code of each kind of failure, one line on stderr, the stack trace only with <c>--verbose</c>.</summary>
public sealed class ErrorTests(HealthFileFixture file) : IClassFixture<HealthFileFixture>
{
    [Fact]
    public void MissingFile_ExitsTwo_WithOneLineOnStderr_AndAnErrorDocumentUnderJson()
    {
        string missing = System.IO.Path.Combine(file.Folder, "missing.db");

        ToolRun run = ReposTool.Run("info", missing, "--json");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal($"repos: There is no file '{missing}'.", Assert.Single(run.ErrorLines));
        JsonElement error = run.Json().GetProperty("error");
        Assert.Equal(2, error.GetProperty("exitCode").GetInt32());
        Assert.Equal($"There is no file '{missing}'.", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("text")]
    [InlineData("sqlite")]
    public void NotAReposFile_ExitsTwo(string kind)
    {
        string path = System.IO.Path.Combine(file.Folder, $"other-{kind}.db");
        if (kind == "text")
        {
            File.WriteAllText(path, "not a database at all, only text long enough to look like a header to a reader.......");
        }
        else
        {
            Batteries_V2.Init();
            Assert.Equal(raw.SQLITE_OK, raw.sqlite3_open(path, out sqlite3 db));
            Assert.Equal(raw.SQLITE_OK, raw.sqlite3_exec(db, "CREATE TABLE notes(text)"));
            raw.sqlite3_close_v2(db);
        }

        ToolRun run = ReposTool.Run("verify", path);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("is not a Repos file", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownEntity_ExitsOne_WithOneLineAndNoStackFrames()
    {
        ToolRun run = ReposTool.Run("show", file.Path, "Patient");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("repos: The file has no entity Patient; it has Clinic, HealthEntry.", Assert.Single(run.ErrorLines));
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public void UnknownEntity_Verbose_PrintsTheStackTrace()
    {
        ToolRun run = ReposTool.Run("show", file.Path, "Patient", "--verbose");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("repos: The file has no entity Patient; it has Clinic, HealthEntry.", run.ErrorLines[0]);
        Assert.Contains("System.ArgumentException", run.Error, StringComparison.Ordinal);
        Assert.Contains("   at Repos.ReposFile.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void RangeValueOfTheWrongType_ExitsOne()
    {
        ToolRun run = ReposTool.Run("show", file.Path, "HealthEntry", "--index", "UserId_Date", "--from", "ann,yesterday");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("repos: 'yesterday' is not a value of HealthEntry.Date, a System.DateOnly.", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void UnknownOptionValue_ExitsOne_WithOneLine()
    {
        ToolRun run = ReposTool.Run("export", file.Path, "--format", "xml", "-o", System.IO.Path.Combine(file.Folder, "out.xml"));

        Assert.True(run.ExitCode == 1, run.ToString());
        string line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("repos: ", line, StringComparison.Ordinal);
        Assert.Contains("'xml'", line, StringComparison.Ordinal);
        Assert.EndsWith("See 'repos export --help'.", line, StringComparison.Ordinal);
    }

    [Fact]
    public void ExportRange_WithoutExactlyOneEntity_ExitsOne_AndWritesNothing()
    {
        string bundle = System.IO.Path.Combine(file.Folder, "range.json");

        ToolRun run = ReposTool.Run("export", file.Path, "--index", "UserId_Date", "--from", "ann", "-o", bundle);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("repos: A range (--index, --from, --to) is of one entity: give exactly one --entity, not 0.", Assert.Single(run.ErrorLines));
        Assert.False(File.Exists(bundle));
    }
}
