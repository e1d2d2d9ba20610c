namespace Repos.Cli.Output;

/// <summary>
/// An <see cref="IProgress{T}"/> that reports on the caller's thread, as it happens: <see cref="Progress{T}"/>
/// posts to the thread pool, so a report could land after the bar it updates was closed.
/// </summary>
internal sealed class Reporter<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
