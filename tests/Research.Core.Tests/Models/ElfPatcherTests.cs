using Research.Build;

namespace Research.Core.Tests.Models;

/// <summary>The build's patch of TorchSharp's native shim, applied to a copy of the shim from the NuGet cache.</summary>
public class ElfPatcherTests
{
    private const string Version = "GLIBCXX_3.4.32", Compat = "libtorchsharp-glibcxx-compat.so";

    private static string PristineShim()
    {
        string home = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                      ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string path = Path.Combine(home, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"TorchSharp's package is restored, so {path} exists");
        return path;
    }

    [Fact]
    public void Patch_makes_the_version_weak_and_adds_the_compat_dependency_once()
    {
        string copy = Path.Combine(TestPaths.NewTempDir(), "libLibTorchSharp.so");
        File.Copy(PristineShim(), copy);
        byte[] before = File.ReadAllBytes(copy);
        Assert.False(ElfPatcher.IsWeak(before, Version, copy));
        string[] neededBefore = ElfPatcher.Needed(before, copy);

        Assert.Equal(ElfPatchOutcome.Patched, ElfPatcher.Patch(copy, Version, Compat));
        byte[] after = File.ReadAllBytes(copy);
        Assert.Equal(before.Length, after.Length);
        Assert.True(ElfPatcher.IsWeak(after, Version, copy));
        Assert.Equal([.. neededBefore, Compat], ElfPatcher.Needed(after, copy));
        Assert.Equal("$ORIGIN/", ElfPatcher.RunPath(after, copy));

        // Only the version flag, the runpath string and the dynamic entries changed.
        int changed = before.Zip(after).Count(p => p.First != p.Second);
        Assert.InRange(changed, 2, 600);

        Assert.Equal(ElfPatchOutcome.AlreadyPatched, ElfPatcher.Patch(copy, Version, Compat));
        Assert.Equal(after, File.ReadAllBytes(copy));
    }

    [Fact]
    public void A_library_without_the_requirement_is_left_alone()
    {
        string libc10 = Path.Combine(Path.GetDirectoryName(PristineShim())!, "..", "..", "..", "..", "..",
            "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native", "libc10.so");
        byte[] bytes = File.ReadAllBytes(libc10);
        Assert.Equal(ElfPatchOutcome.NotNeeded, ElfPatcher.Patch(bytes, Version, Compat, libc10));
    }

    [Fact]
    public void Not_an_elf_file_is_a_clear_error()
    {
        var e = Assert.Throws<InvalidDataException>(() => ElfPatcher.Patch("hello"u8.ToArray().Concat(new byte[100]).ToArray(), Version, Compat, "x.so"));
        Assert.Equal("x.so: not an ELF file.", e.Message);
    }

    [Fact]
    public void The_build_output_copy_is_patched_exactly_when_the_system_libstdcxx_lacks_the_version()
    {
        string shim = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        byte[] bytes = File.ReadAllBytes(shim);
        string? system = LibStdCxx.Find();
        bool needsPatch = system is not null && !LibStdCxx.Defines(system, Version);
        Assert.Equal(needsPatch, ElfPatcher.IsWeak(bytes, Version, shim));
        Assert.Equal(needsPatch, ElfPatcher.Needed(bytes, shim).Contains(Compat));
        Assert.Equal(needsPatch, File.Exists(Path.Combine(Path.GetDirectoryName(shim)!, Compat)));
    }
}
