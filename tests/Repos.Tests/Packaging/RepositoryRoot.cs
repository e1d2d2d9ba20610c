namespace Repos.Tests.Packaging;

/// <summary>The checkout these tests were built from.</summary>
internal static class RepositoryRoot
{
    /// <summary>The folder holding <c>Repos.sln</c>, found upwards from the test assembly.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Repos.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Repos.sln above {AppContext.BaseDirectory}");
    }
}
