// Defines std::ios_base_library_init(), the one GLIBCXX_3.4.32 (GCC 13) symbol TorchSharp's native shim needs,
// for systems whose libstdc++ predates it (Debian 12 ships GLIBCXX_3.4.30). GCC 13 added the function so that
// code built with <iostream> initialises the standard streams once; constructing a static ios_base::Init does
// exactly that with an older libstdc++. Built and linked in by build/TorchSharpNative.targets only when needed.
#include <ios>

namespace std
{
    __attribute__((visibility("default"))) void ios_base_library_init()
    {
        static ios_base::Init init;
    }
}
