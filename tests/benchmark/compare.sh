#!/usr/bin/env bash
# The benchmark against the reference implementations, in one run: builds the `bench` preset, then runs
# the reference programs (tests/benchmark/reference/, built by that preset where Eigen and OpenBLAS are
# installed: the FMA peak, Eigen's fixed-size GEMM and AGD iteration with its SVDs, OpenBLAS sgemm) and
# lowrank_bench section by section, interleaved (peak, reference GEMM, our GEMM, reference AGD, our AGD,
# our time to solution), so that both see the same machine state, and prints every JSON line followed by
# tables of ratios against the issue's goals. With `m4` (or by default), also the Cortex-M4 instruction
# counts (tests/benchmark/cortex_m4.sh, deterministic; needs ANCHORS, see below, and is skipped without).
# Usage: compare.sh [gemm] [agd] [tts] [profile] [m4]   (default: all)
# Environment: REPEAT (default 3): the timed sections run this many times, alternating references and
# ours, and each case keeps its best figure (both sides alike), which filters out the other tenants of a
# shared machine. ANCHORS: a directory holding an external run.sh (same JSON lines) to run instead of the
# in-repo reference programs. All JSON lines are also saved to build/bench/results.jsonl.
# OpenBLAS picks its kernel from the CPU model, and on some (virtual) CPUs that pick is a slow one: its
# GEMM runs under each OPENBLAS_CORETYPE the CPU can run (by /proc/cpuinfo) and this OpenBLAS has, and
# the best figure counts.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
anchors=${ANCHORS:-}
refs=$root/build/bench/tests/benchmark  # the reference programs, next to lowrank_bench
reference() {  # peak | gemm | agd: the reference figures of one section
  if [ -n "$anchors" ]; then run "$anchors/run.sh" "$@"; return; fi
  case $1 in
    peak) if [ -x "$refs/reference_fma_peak" ]; then run "$refs/reference_fma_peak"; fi ;;
    gemm) if [ -x "$refs/reference_eigen_gemm" ]; then run "$refs/reference_eigen_gemm"; fi
          if [ -x "$refs/reference_openblas_gemm" ]; then openblas_gemm; fi ;;
    agd) if [ -x "$refs/reference_eigen_agd" ]; then run "$refs/reference_eigen_agd"; fi ;;
  esac
}
openblas_gemm() {  # one thread; under each core type of $openblas_cores (a "core" field tells which)
  local core
  case " ${openblas_cores,,} " in
    *" ${openblas_default,,} "*) ;;  # its own pick is among them
    *) run env OPENBLAS_NUM_THREADS=1 "$refs/reference_openblas_gemm" ;;
  esac
  for core in $openblas_cores; do
    OPENBLAS_CORETYPE=$core OPENBLAS_NUM_THREADS=1 "$refs/reference_openblas_gemm" |
      sed "s/\"impl\":\"openblas\"/&,\"core\":\"$core\"/" | tee -a "$results"
  done
}
what=${*:-gemm agd tts profile m4}
(cd "$root" && cmake --workflow --preset bench >/dev/null && cmake --build build/bench --target lowrank_reference >/dev/null)
bench=$root/build/bench/tests/benchmark/lowrank_bench
results=$root/build/bench/results.jsonl
: >"$results"
run() { "$@" | tee -a "$results"; }
echo "# $(date -u +%FT%TZ) $(uname -n), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load: $(cut -d' ' -f1-3 /proc/loadavg)"
missing=""  # a note on the references that are not built, with the Debian packages that provide them
openblas_cores="" openblas_default=""
if [ -z "$anchors" ]; then
  packages="" what_needs=""
  if [ ! -x "$refs/reference_eigen_agd" ]; then packages="libeigen3-dev"; what_needs="Eigen (GEMM, AGD, SVDs)"; fi
  if [ ! -x "$refs/reference_openblas_gemm" ]; then
    packages="${packages:+$packages }libopenblas-dev"; what_needs="${what_needs:+$what_needs and }OpenBLAS (GEMM)"
  fi
  if [ -n "$packages" ]; then
    missing="# no $what_needs reference built (our figures only there): install them, on Debian/Ubuntu \`apt-get install $packages\`, and rerun"
    echo "$missing"
  fi
  if [ -x "$refs/reference_openblas_gemm" ]; then
    # The core types this CPU can run, from its flags (Zen is Haswell's kernel with other blocking)...
    flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
    cpu_has() { local f; for f; do case $flags in *" $f "*) ;; *) return 1 ;; esac; done; }
    candidates=""
    if cpu_has avx2 fma; then candidates="Haswell Zen"; fi
    if cpu_has avx512f avx512cd avx512bw avx512dq avx512vl; then
      candidates="$candidates SkylakeX"
      if cpu_has avx512_bf16; then candidates="$candidates Cooperlake"; fi
      if cpu_has avx512_bf16 avx512_fp16 amx_tile amx_bf16; then candidates="$candidates Sapphirerapids"; fi
    fi
    # ...and of those, the ones this OpenBLAS has (it falls back to its own pick for a name it lacks).
    openblas_default=$("$refs/reference_openblas_gemm" --corename 2>/dev/null)
    lacks=""
    for core in $candidates; do
      got=$(OPENBLAS_CORETYPE=$core "$refs/reference_openblas_gemm" --corename 2>/dev/null)
      if [ "${got,,}" = "${core,,}" ]; then openblas_cores="$openblas_cores $core"; else lacks="$lacks $core"; fi
    done
    echo "# OpenBLAS GEMM under OPENBLAS_CORETYPE:${openblas_cores:- (none)} (its own pick: $openblas_default)${lacks:+; this OpenBLAS lacks$lacks}"
  fi
fi
for w in $what; do
  case $w in gemm | agd | tts | profile | m4) ;; *) echo "unknown: $w (gemm, agd, tts, profile, m4)" >&2; exit 2 ;; esac
done
for round in $(seq "${REPEAT:-3}"); do
  echo "# round $round, load: $(cut -d' ' -f1-3 /proc/loadavg)"
  reference peak
  for w in $what; do
    case $w in
      gemm) reference gemm; run "$bench" gemm ;;
      agd) reference agd; run "$bench" agd ;;
      tts) run "$bench" tts ;;
      profile) run "$bench" profile ;;
    esac
  done
done
case " $what " in
  *" m4 "*) if [ -n "$anchors" ] && [ -e "$anchors/cortex-m/count.sh" ]; then run "$here/cortex_m4.sh"
            else echo "# m4 skipped: the Cortex-M4 counts need ANCHORS (a directory with cortex-m/count.sh, a QEMU instruction-count plugin)"; fi ;;
esac
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$results" <<'PY'
import json, sys
raw = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{')]
# Best of the rounds for every case: the highest GFLOPS, the lowest time.
key = lambda r: tuple((k, r[k]) for k in ('case', 'impl', 'op', 'method', 'm', 'n', 'k', 'd') if k in r)
best = {}
for r in raw:
    b = best.get(key(r))
    if b is None:
        best[key(r)] = dict(r)
        continue
    for f, v in r.items():
        if f in ('gflops', 'float_gflops', 'double_gflops'): b[f] = max(b[f], v)
        elif f.endswith('_us') or f == 'us':
            if v > 0 and (b[f] <= 0 or v < b[f]): b[f] = v
rows = list(best.values())
peak = next((r['float_gflops'] for r in rows if r['case'] == 'fma_peak'), None)
if peak: print(f"\nFMA peak (float, one core, best of the rounds): {peak} GFLOPS")
def pick(case, impl, **key):
    for r in rows:
        if r['case'] == case and r['impl'] == impl and all(r.get(k) == v for k, v in key.items()):
            return r
    return None
num = lambda v, width, digits: f"{v:{width}.{digits}f}" if v else '-'.rjust(width)  # '-': no reference figure
fact = {(64, 8, 64), (100, 10, 100), (256, 16, 256), (512, 32, 512), (1024, 16, 256)}
g = [r for r in rows if r['case'] == 'gemm' and r['impl'] == 'lowrank']
if g:
    # The references store column-major, we store row-major: our NN reads A as their TN does (rows of A
    # contiguous along k), our TN as their NN. /layout compares with OpenBLAS on the same memory layout.
    # A reference that is not built (or not run) shows as '-'.
    print('\nGEMM, GFLOPS (float, single core)          ours   Eigen  OpenBLAS  /Eigen /OpenBLAS /layout  goal')
    for r in g:
        k = dict(op=r['op'], m=r['m'], n=r['n'], k=r['k'])
        e, o = pick('gemm', 'eigen_fixed', **k), pick('gemm', 'openblas', **k)
        same = pick('gemm', 'openblas', **dict(k, op='TN' if r['op'] == 'NN' else 'NN'))
        ratio = lambda ref: r['gflops'] / ref['gflops'] if ref else None
        re, ro, rl = ratio(e), ratio(o), ratio(same)
        shape = (r['m'], r['n'], r['k'])
        verdict = lambda bound: ('met' if ro >= bound else 'missed') + ' by op, ' + ('met' if rl >= bound else 'missed') + ' by layout'
        if shape in fact and o and same: goal = verdict(1.0) + ' (>= OpenBLAS)'
        elif r['m'] in (256, 512) and r['m'] == r['n'] and o and same: goal = verdict(0.9) + ' (>= 0.9 OpenBLAS)'
        elif r['m'] in (8, 16) and r['m'] == r['n'] and e: goal = ('met' if re >= 1.5 else 'missed') + ' (>= 1.5 Eigen)'
        else: goal = ''
        print(f"  {r['op']} {r['m']:4d} x {r['n']:4d} x {r['k']:4d}              {r['gflops']:7.1f} {num(e and e['gflops'], 7, 1)} {num(o and o['gflops'], 8, 1)}  {num(re, 6, 2)} {num(ro, 8, 2)} {num(rl, 7, 2)}   {goal}")
a = [r for r in rows if r['case'] == 'agd_iter' and r['impl'] == 'lowrank']
if a:
    print('\nAGD iteration (float), us           ours   Eigen(best form)  speedup  GFLOPS  %peak  goals')
    for r in a:
        e = pick('agd_iter', 'eigen', m=r['m'], n=r['n'], d=r['d'])
        m, n, d = r['m'], r['n'], r['d']
        flops = 4 * m * n * d + 4 * (m + n) * d * d
        eb = min(e['gram_us'], e['residual_us']) if e else None
        sp = eb / r['gram_us'] if e else None; gf = flops / r['gram_us'] / 1e3
        goals = [('met' if sp >= 2 else 'missed') + ' (2x Eigen)'] if e else []
        if m >= 256 and n >= 256 and peak:
            goals.append(('met' if gf >= 0.75 * peak else 'missed') + ' (75% peak)')
        pk = f"{100 * gf / peak:5.1f}" if peak else '  -  '
        print(f"  {m:4d} x {n:4d} x {d:3d}                {r['gram_us']:8.3f} {num(eb, 12, 3)}       {num(sp, 6, 2)}  {gf:6.1f}  {pk}  {', '.join(goals)}")
t = [r for r in rows if r['case'] == 'time_to_solution' and r['impl'] == 'lowrank']
if t:
    e = pick('agd_iter', 'eigen', m=100, n=100, d=10)
    rsvd = e['rsvd_us'] if e else None
    print('\nTime to relative error 1e-6, paper problem 100 x 100, rank 5, d = 10 (us)')
    for r in t:
        ok = r['us'] > 0
        line = f"  {r['method']:10s} {r['us']:9.2f} us  ({r['iterations']} iterations, step {r['step']}, {r['status']})"
        if rsvd and ok: line += f"   vs Eigen randomized SVD {rsvd:.2f} us: {rsvd / r['us']:.2f}x"
        print(line)
    best = min((r['us'] for r in t if r['us'] > 0), default=None)
    if rsvd and best: print(f"  best solver: {best:.2f} us vs {rsvd:.2f} us: goal (below the randomized SVD) {'met' if best < rsvd else 'missed'}")
pr = [r for r in rows if r['case'] == 'agd_profile']
if pr:
    print('\nWhere an AGD iteration goes (us, each part timed alone; 2 Grams, 2 axpys per iteration)')
    print('  shape               Gram    X G - A Y    loss    axpy    Y G - A^T X   iteration')
    for r in pr:
        print(f"  {r['m']:4d} x {r['n']:4d} x {r['d']:3d}  {r['gram_us']:8.3f}  {r['gradient_x_us']:10.3f}  {r['loss_us']:6.3f}  {r['axpy_us']:6.3f}  {r['gradient_y_us']:12.3f}  {r['iteration_us']:10.3f}")
c = [r for r in rows if r['case'] == 'cortex_m4_agd_iter' and r['impl'] == 'lowrank']
if c:
    print('\nCortex-M4 AGD iteration (float), instructions   ours     Eigen   loops   Eigen/ours  instr/MAC  goal')
    for r in c:
        e = pick('cortex_m4_agd_iter', 'eigen', m=r['m'], n=r['n'], d=r['d'])
        l = pick('cortex_m4_agd_iter', 'loops', m=r['m'], n=r['n'], d=r['d'])
        if not e: continue
        ratio = e['insns'] / r['insns']
        print(f"  {r['m']:3d} x {r['n']:3d} x {r['d']:2d}                        {r['insns']:9d} {e['insns']:9d} {l['insns'] if l else 0:7d}   {ratio:8.2f}   {r['insns'] / r['fp_macs']:7.2f}   {'met' if ratio >= 2 else 'missed'} (half of Eigen)")
PY
if [ -n "$missing" ]; then echo; echo "$missing"; fi
