using System.Runtime.InteropServices;

namespace Repos.Storage;

/// <summary>
/// Makes files and renames survive a power cut: a file's bytes are flushed to the disk before it is renamed
/// into place, and the folder after, so the new name is on the disk too.
/// </summary>
internal static partial class DurableFile
{
    /// <summary>Flushes the file's bytes to the disk (fsync).</summary>
    public static void Flush(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Writes <paramref name="contents"/> to a new file and flushes it to the disk.</summary>
    public static void Write(string path, ReadOnlySpan<byte> contents)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        stream.Write(contents);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Flushes a folder's entries (the names of the files in it) to the disk, so a rename into it survives a
    /// power cut. Windows has no such call (its renames go through the file system's journal); where the
    /// call is missing or refused the rename is still atomic, only possibly not yet on the disk.
    /// </summary>
    public static void FlushFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            int fd = Open(folder, 0 /* O_RDONLY */);
            if (fd < 0)
            {
                return;
            }

            _ = FSync(fd);
            _ = Close(fd);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A platform without the C library's calls: the rename is atomic, only its durability is the OS's.
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
