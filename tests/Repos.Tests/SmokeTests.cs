namespace Repos.Tests;

public class SmokeTests
{
    [Fact]
    public void FormatException_NamesOffset()
    {
        var e = new ReposFormatException("bad", 12);
        Assert.Equal(12, e.Offset);
        Assert.Contains("offset 12", e.Message, StringComparison.Ordinal);
    }
}
