/*
 * bcryptprimitives.dll for Wine 8: the one export Go programs need from it.
 *
 * Go 1.22 and later read random bytes through ProcessPrng, which Windows 10
 * exports from bcryptprimitives.dll and Wine 8 does not have: a Go program
 * then stops at start with "bcryptprimitives.dll not found". RtlGenRandom
 * (exported by advapi32 as SystemFunction036) gives the same bytes.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
