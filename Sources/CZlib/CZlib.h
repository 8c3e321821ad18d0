// The system zlib (Debian: zlib1g-dev, which the Swift toolchain itself needs; macOS: the SDK's).
#include <zlib.h>
