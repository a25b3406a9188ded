/* Counts the guest instructions a QEMU TCG run executes (any guest: qemu-system-arm, -riscv32,
 * qemu-aarch64 ...), for the instruction-count benchmarks (tests/benchmark/instructions.sh). Counts are
 * deterministic, unlike wall time under emulation.
 *
 * Build: cc -shared -fPIC -O2 icount_plugin.c -o libicount.so
 * Use:   qemu-... -plugin ./libicount.so -d plugin ...
 * At exit it writes "insns N" to the file named by $ICOUNT_OUT, or to QEMU's log (stderr).
 *
 * The plugin API (version 1, QEMU 7.2) is declared here rather than taken from qemu-plugin.h, which
 * Debian ships in no package: only the five entry points used, with the signatures of that API. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
typedef struct qemu_info_t qemu_info_t;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op, void *ptr,
                                              uint64_t imm);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
void qemu_plugin_outs(const char *string);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

static uint64_t executed; /* one guest vCPU in every use here, so one counter needs no atomics */

/* At translation, each block adds its instruction count to the counter every time it runs. */
static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &executed, qemu_plugin_tb_n_insns(tb));
}

static void on_exit_report(qemu_plugin_id_t id, void *userdata) {
  (void)id;
  (void)userdata;
  char line[64];
  snprintf(line, sizeof line, "insns %llu\n", (unsigned long long)executed);
  const char *path = getenv("ICOUNT_OUT");
  FILE *out = path ? fopen(path, "w") : NULL;
  if (out) {
    fputs(line, out);
    fclose(out);
  } else {
    qemu_plugin_outs(line);
  }
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
                                                               char **argv) {
  (void)info;
  (void)argc;
  (void)argv;
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, on_exit_report, NULL);
  return 0;
}
