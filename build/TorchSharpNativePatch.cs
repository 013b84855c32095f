// Patches the build output's copy of TorchSharp's native shim (libLibTorchSharp.so) so that it loads on systems whose
// libstdc++ lacks GLIBCXX_3.4.32. Used by build/TorchSharpNative.targets as an inline MSBuild task, and compiled into
// the tests (with NO_MSBUILD_TASK defined) to test the ELF patching itself. See docs/torchsharp-native.md.
#nullable enable
using System;
using System.IO;
using System.Text;

namespace Research.Build
{
    /// <summary>What <see cref="ElfPatcher.Patch(string, string, string)"/> did to a file.</summary>
    public enum ElfPatchOutcome
    {
        /// <summary>The file was patched.</summary>
        Patched,

        /// <summary>The file already carried both changes; nothing was written.</summary>
        AlreadyPatched,

        /// <summary>The file does not require the version at all; nothing was written.</summary>
        NotNeeded,
    }

    /// <summary>
    /// Minimal ELF64 little-endian editor for one job: make a version requirement weak (<c>VER_FLG_WEAK</c> in its
    /// <c>Elf64_Vernaux</c>) and add a <c>DT_NEEDED</c> entry. The new library's name is stored in the space of the
    /// <c>DT_RUNPATH</c> string, which is shortened to its <c>$ORIGIN</c> components (TorchSharp's other runpath entries
    /// are paths on its own build machine); the new entry takes one of the spare <c>DT_NULL</c> slots of the dynamic
    /// section. The file size never changes.
    /// </summary>
    public static class ElfPatcher
    {
        private const ushort VerFlagWeak = 0x2;
        private const long DtNull = 0, DtNeeded = 1, DtRpath = 15, DtRunpath = 29;
        private const uint ShtDynamic = 6, ShtGnuVerneed = 0x6ffffffe;

        /// <summary>
        /// Makes <paramref name="version"/> weak and adds <paramref name="neededLibrary"/> as a dependency in
        /// <paramref name="path"/>, in place via a temporary file and a move. Idempotent.
        /// </summary>
        public static ElfPatchOutcome Patch(string path, string version, string neededLibrary)
        {
            byte[] elf = File.ReadAllBytes(path);
            var outcome = Patch(elf, version, neededLibrary, path);
            if (outcome == ElfPatchOutcome.Patched)
            {
                string temp = path + ".patching";
                File.WriteAllBytes(temp, elf);
                File.Replace(temp, path, null);
            }

            return outcome;
        }

        /// <summary>The in-memory form of <see cref="Patch(string,string,string)"/>; <paramref name="source"/> names the file in errors.</summary>
        public static ElfPatchOutcome Patch(byte[] elf, string version, string neededLibrary, string source)
        {
            var layout = ElfLayout.Read(elf, source);
            int vernaux = FindVernaux(elf, layout, version);
            if (vernaux < 0) return ElfPatchOutcome.NotNeeded;
            ushort flags = BitConverter.ToUInt16(elf, vernaux + 4);
            bool weak = (flags & VerFlagWeak) != 0;
            bool needed = HasNeeded(elf, layout, neededLibrary);
            if (weak && needed) return ElfPatchOutcome.AlreadyPatched;
            if (!needed) AddNeeded(elf, layout, neededLibrary, source);
            BitConverter.GetBytes((ushort)(flags | VerFlagWeak)).CopyTo(elf, vernaux + 4);
            return ElfPatchOutcome.Patched;
        }

        /// <summary>Whether the version requirement <paramref name="version"/> is present and marked weak.</summary>
        public static bool IsWeak(byte[] elf, string version, string source)
        {
            var layout = ElfLayout.Read(elf, source);
            int vernaux = FindVernaux(elf, layout, version);
            return vernaux >= 0 && (BitConverter.ToUInt16(elf, vernaux + 4) & VerFlagWeak) != 0;
        }

        /// <summary>The <c>DT_NEEDED</c> library names, in order.</summary>
        public static string[] Needed(byte[] elf, string source)
        {
            var layout = ElfLayout.Read(elf, source);
            var names = new System.Collections.Generic.List<string>();
            for (int i = 0; i < layout.DynamicSlots; i++)
            {
                long tag = Tag(elf, layout, i);
                if (tag == DtNull) break;
                if (tag == DtNeeded) names.Add(layout.String(elf, (int)Value(elf, layout, i)));
            }

            return names.ToArray();
        }

        /// <summary>The <c>DT_RUNPATH</c> (or <c>DT_RPATH</c>) string, or null.</summary>
        public static string? RunPath(byte[] elf, string source)
        {
            var layout = ElfLayout.Read(elf, source);
            int i = FindTag(elf, layout, DtRunpath);
            if (i < 0) i = FindTag(elf, layout, DtRpath);
            return i < 0 ? null : layout.String(elf, (int)Value(elf, layout, i));
        }

        private static bool HasNeeded(byte[] elf, ElfLayout layout, string library) =>
            Array.IndexOf(Needed(elf, layout.Source), library) >= 0;

        private static int FindVernaux(byte[] elf, ElfLayout layout, string version)
        {
            if (layout.VerneedOffset < 0) return -1;
            int entry = layout.VerneedOffset;
            for (int n = 0; n < layout.VerneedCount; n++)
            {
                ushort count = BitConverter.ToUInt16(elf, entry + 2);
                int aux = entry + (int)BitConverter.ToUInt32(elf, entry + 8);
                for (int a = 0; a < count; a++)
                {
                    uint name = BitConverter.ToUInt32(elf, aux + 8);
                    if (layout.String(elf, (int)name) == version) return aux;
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }

                uint next = BitConverter.ToUInt32(elf, entry + 12);
                if (next == 0) break;
                entry += (int)next;
            }

            return -1;
        }

        private static void AddNeeded(byte[] elf, ElfLayout layout, string library, string source)
        {
            int used = 0;
            while (used < layout.DynamicSlots && Tag(elf, layout, used) != DtNull) used++;
            if (used + 1 >= layout.DynamicSlots)
                throw new InvalidDataException($"{source}: the dynamic section has no spare slot for a DT_NEEDED entry.");
            int pathEntry = FindTag(elf, layout, DtRunpath);
            if (pathEntry < 0) pathEntry = FindTag(elf, layout, DtRpath);
            if (pathEntry < 0) throw new InvalidDataException($"{source}: no DT_RUNPATH/DT_RPATH string to make room for '{library}'.");
            int pathOffset = (int)Value(elf, layout, pathEntry);
            string oldPath = layout.String(elf, pathOffset);
            string newPath = string.Join(":", Array.FindAll(oldPath.Split(':'), p => p.StartsWith("$ORIGIN", StringComparison.Ordinal)));
            if (newPath.Length == 0) newPath = "$ORIGIN";
            byte[] pathBytes = Encoding.UTF8.GetBytes(newPath), nameBytes = Encoding.UTF8.GetBytes(library);
            if (pathBytes.Length + 1 + nameBytes.Length > Encoding.UTF8.GetByteCount(oldPath))
                throw new InvalidDataException($"{source}: the runpath '{oldPath}' leaves no room for '{library}'.");

            int at = layout.DynstrOffset + pathOffset;
            Array.Clear(elf, at, Encoding.UTF8.GetByteCount(oldPath));
            pathBytes.CopyTo(elf, at);
            nameBytes.CopyTo(elf, at + pathBytes.Length + 1);
            int nameOffset = pathOffset + pathBytes.Length + 1;

            // Insert after the last DT_NEEDED so the original search order is kept; later entries move down one slot.
            int insert = 0;
            for (int i = 0; i < used; i++)
                if (Tag(elf, layout, i) == DtNeeded) insert = i + 1;
            int entrySize = 16;
            int start = layout.DynamicOffset + insert * entrySize;
            Buffer.BlockCopy(elf, start, elf, start + entrySize, (used + 1 - insert) * entrySize);
            BitConverter.GetBytes(DtNeeded).CopyTo(elf, start);
            BitConverter.GetBytes((ulong)nameOffset).CopyTo(elf, start + 8);
        }

        private static int FindTag(byte[] elf, ElfLayout layout, long tag)
        {
            for (int i = 0; i < layout.DynamicSlots; i++)
            {
                long t = Tag(elf, layout, i);
                if (t == tag) return i;
                if (t == DtNull) break;
            }

            return -1;
        }

        private static long Tag(byte[] elf, ElfLayout layout, int i) =>
            BitConverter.ToInt64(elf, layout.DynamicOffset + i * 16);

        private static ulong Value(byte[] elf, ElfLayout layout, int i) =>
            BitConverter.ToUInt64(elf, layout.DynamicOffset + i * 16 + 8);

        private sealed class ElfLayout
        {
            public string Source = "";
            public int DynamicOffset, DynamicSlots, DynstrOffset, DynstrSize, VerneedOffset = -1, VerneedCount;

            public string String(byte[] elf, int offset)
            {
                if (offset < 0 || offset >= DynstrSize) throw new InvalidDataException($"{Source}: string offset {offset} is outside .dynstr.");
                int start = DynstrOffset + offset, end = start;
                while (elf[end] != 0) end++;
                return Encoding.UTF8.GetString(elf, start, end - start);
            }

            public static ElfLayout Read(byte[] elf, string source)
            {
                if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                    throw new InvalidDataException($"{source}: not an ELF file.");
                if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException($"{source}: only 64-bit little-endian ELF is supported.");
                long shoff = BitConverter.ToInt64(elf, 0x28);
                int shentsize = BitConverter.ToUInt16(elf, 0x3A);
                int shnum = BitConverter.ToUInt16(elf, 0x3C);
                var layout = new ElfLayout { Source = source, DynamicOffset = -1 };
                int dynstrIndex = -1;
                for (int i = 0; i < shnum; i++)
                {
                    int sh = (int)shoff + i * shentsize;
                    uint type = BitConverter.ToUInt32(elf, sh + 4);
                    int offset = (int)BitConverter.ToInt64(elf, sh + 24);
                    int size = (int)BitConverter.ToInt64(elf, sh + 32);
                    int link = (int)BitConverter.ToUInt32(elf, sh + 40);
                    int info = (int)BitConverter.ToUInt32(elf, sh + 44);
                    if (type == ShtDynamic)
                    {
                        layout.DynamicOffset = offset;
                        layout.DynamicSlots = size / 16;
                        dynstrIndex = link;
                    }
                    else if (type == ShtGnuVerneed)
                    {
                        layout.VerneedOffset = offset;
                        layout.VerneedCount = info;
                    }
                }

                if (layout.DynamicOffset < 0 || dynstrIndex < 0) throw new InvalidDataException($"{source}: no dynamic section.");
                int strSh = (int)shoff + dynstrIndex * shentsize;
                layout.DynstrOffset = (int)BitConverter.ToInt64(elf, strSh + 24);
                layout.DynstrSize = (int)BitConverter.ToInt64(elf, strSh + 32);
                return layout;
            }
        }
    }

    /// <summary>Byte-array helpers (the inline task compiles against netstandard, without spans).</summary>
    public static class Bytes
    {
        /// <summary>Index of the first occurrence of <paramref name="needle"/> in <paramref name="haystack"/>, or -1.</summary>
        public static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j]) j++;
                if (j == needle.Length) return i;
            }

            return -1;
        }

        /// <summary>Whether both arrays hold the same bytes.</summary>
        public static bool Equal(byte[] a, byte[] b)
        {
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
                if (a[i] != b[i]) return false;
            return true;
        }
    }

    /// <summary>Finds the system's libstdc++ and tells whether it defines a symbol version.</summary>
    public static class LibStdCxx
    {
        /// <summary>Where Linux distributions put libstdc++.so.6, most common first.</summary>
        public static readonly string[] Candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };

        /// <summary>The first existing candidate, or null.</summary>
        public static string? Find()
        {
            foreach (var c in Candidates)
                if (File.Exists(c)) return c;
            return null;
        }

        /// <summary>Whether the library at <paramref name="path"/> contains the version name <paramref name="version"/>.</summary>
        public static bool Defines(string path, string version)
        {
            byte[] bytes = File.ReadAllBytes(path);
            byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
            return Bytes.IndexOf(bytes, needle) >= 0;
        }
    }
}

#if !NO_MSBUILD_TASK
namespace Research.Build.Tasks
{
    using Microsoft.Build.Framework;
    using Microsoft.Build.Utilities;

    /// <summary>
    /// MSBuild task: when the system libstdc++ lacks <see cref="Version"/>, builds the compat library (once, with g++)
    /// and patches every given libLibTorchSharp.so, copying the compat library next to it. Otherwise does nothing.
    /// </summary>
    public sealed class PatchTorchSharpNative : Task
    {
        /// <summary>The shim copies in the build output.</summary>
        [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>The compat library's C++ source.</summary>
        [Required] public string CompatSource { get; set; } = "";

        /// <summary>Where the compat library is built.</summary>
        [Required] public string IntermediateDirectory { get; set; } = "";

        /// <summary>The version requirement to weaken.</summary>
        public string Version { get; set; } = "GLIBCXX_3.4.32";

        /// <summary>The compat library's file name.</summary>
        public string CompatName { get; set; } = "libtorchsharp-glibcxx-compat.so";

        /// <inheritdoc />
        public override bool Execute()
        {
            if (Files.Length == 0) return true;
            string? libstdcxx = Research.Build.LibStdCxx.Find();
            if (libstdcxx is null || Research.Build.LibStdCxx.Defines(libstdcxx, Version))
            {
                Log.LogMessage(MessageImportance.Low, $"TorchSharp native: {libstdcxx ?? "libstdc++"} has {Version}; nothing to patch.");
                return true;
            }

            string compat = Path.Combine(IntermediateDirectory, CompatName);
            if (!File.Exists(compat) || File.GetLastWriteTimeUtc(compat) < File.GetLastWriteTimeUtc(CompatSource))
            {
                Directory.CreateDirectory(IntermediateDirectory);
                string temp = compat + "." + Guid.NewGuid().ToString("N") + ".building";
                var psi = new System.Diagnostics.ProcessStartInfo("g++", $"-shared -fPIC -O2 -o \"{temp}\" \"{CompatSource}\"")
                {
                    RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
                };
                System.Diagnostics.Process? gxx;
                try { gxx = System.Diagnostics.Process.Start(psi); }
                catch (Exception e)
                {
                    Log.LogError($"TorchSharp native: {libstdcxx} lacks {Version} (GCC 13), so TorchSharp needs a small compat library built with g++, which could not be run ({e.Message}). Install it: sudo apt-get install -y g++");
                    return false;
                }

                string errors = gxx!.StandardError.ReadToEnd();
                gxx.WaitForExit();
                if (gxx.ExitCode != 0)
                {
                    Log.LogError($"TorchSharp native: g++ failed building {CompatSource}: {errors}");
                    return false;
                }

                if (File.Exists(compat)) File.Replace(temp, compat, null); else File.Move(temp, compat);
            }

            byte[] compatBytes = File.ReadAllBytes(compat);
            foreach (var item in Files)
            {
                string path = item.GetMetadata("FullPath");
                string target = Path.Combine(Path.GetDirectoryName(path)!, CompatName);
                if (!File.Exists(target) || !Research.Build.Bytes.Equal(File.ReadAllBytes(target), compatBytes))
                    File.Copy(compat, target, overwrite: true);
                var outcome = Research.Build.ElfPatcher.Patch(path, Version, CompatName);
                if (outcome == Research.Build.ElfPatchOutcome.Patched)
                    Log.LogMessage(MessageImportance.High, $"TorchSharp native: patched {path} ({libstdcxx} lacks {Version}; see docs/torchsharp-native.md)");
            }

            return !Log.HasLoggedErrors;
        }
    }
}
#endif
