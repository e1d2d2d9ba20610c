namespace Repos.Storage;

/// <summary>
/// A lock file an operation that leaves files behind when it is killed (a backup's partial copy, a restore's
/// staged copy) holds from before it creates them until after they are gone or recorded, so that a later
/// process can tell the files of a killed operation from those of one in progress.
/// </summary>
/// <remarks>
/// <para>
/// The lock is the file opened with <see cref="FileShare.None"/>: on Windows a share mode, which nothing else
/// can open past, on Linux and macOS an exclusive <c>flock</c> that .NET takes for it (another process, or
/// another open of the file in this one, cannot take it while it is held). Either way the operating system
/// drops it when the process ends, killed or not. The file is deleted when the lock is released
/// (<see cref="FileOptions.DeleteOnClose"/>; Windows deletes it also when the process is killed).
/// </para>
/// <para>
/// .NET's file locking on Unix can be turned off (<c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c>); then a live
/// operation's files would look abandoned. Repos versions before these locks hold none.
/// </para>
/// </remarks>
internal sealed class OperationLock : IDisposable
{
    /// <summary>What a lock file's name ends with: the name of what it guards, plus this.</summary>
    public const string Extension = ".lock";

    private readonly FileStream _stream;

    private OperationLock(FileStream stream) => _stream = stream;

    /// <summary>Creates and takes the lock file at <paramref name="path"/>, or returns null when it exists already.</summary>
    public static OperationLock? TryCreate(string path)
    {
        try
        {
            return new OperationLock(new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose));
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    /// <summary>
    /// Whether the operation guarded by the lock file at <paramref name="path"/> has ended: the file is gone, or
    /// its lock can be taken. With <paramref name="take"/>, a lock taken is kept in <paramref name="held"/> (the
    /// caller removes the operation's files, then disposes it, which deletes the lock file).
    /// </summary>
    public static bool IsAbandoned(string path, bool take, out OperationLock? held)
    {
        held = null;
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, take ? FileOptions.DeleteOnClose : FileOptions.None);
            if (take)
            {
                held = new OperationLock(stream);
            }
            else
            {
                stream.Dispose();
            }

            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Held by the operation, which is still running (or the lock cannot be read: left alone all the same).
            return false;
        }
    }

    /// <summary>Releases the lock and deletes its file.</summary>
    public void Dispose() => _stream.Dispose();
}
