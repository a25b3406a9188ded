/* Counts the guest instructions a QEMU TCG run executes (any guest: qemu-system-arm, -riscv32,
 * qemu-aarch64 ...), for the instruction-count benchmarks (tests/benchmark/instructions.sh). Counts are
 * deterministic, unlike wall time under emulation. Optionally it also counts the instructions whose
 * mnemonic starts with one of a list of prefixes (the floating-point multiply-adds of the ISA), as far
 * as QEMU's disassembler knows the ISA (it prints Helium/MVE instructions as raw bytes).
 *
 * Build: cc -shared -fPIC -O2 icount_plugin.c -o libicount.so
 * Use:   qemu-... -plugin ./libicount.so[,macs=fmla:fmadd] -d plugin ...
 * At exit it writes "insns N macs M" to the file named by $ICOUNT_OUT, or to QEMU's log (stderr).
 *
 * The plugin API (version 1, QEMU 7.2) is declared here rather than taken from qemu-plugin.h, which
 * Debian ships in no package: only the entry points used, with the signatures of that API. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct qemu_info_t qemu_info_t;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
char *qemu_plugin_insn_disas(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op, void *ptr,
                                              uint64_t imm);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
void qemu_plugin_outs(const char *string);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

/* One guest vCPU in every use here, so plain counters need no atomics. */
static uint64_t executed, macs;
static char mac_prefixes[256]; /* "p1:p2:...:" */

/* Whether the mnemonic starts with one of the prefixes. Some disassemblers (RISC-V) print the
 * encoding first, as a hexadecimal word: that word is skipped. */
static int is_mac(const char *disassembly) {
  const char *word_end = disassembly + strspn(disassembly, "0123456789abcdef");
  if (word_end > disassembly && (*word_end == ' ' || *word_end == '\t')) {
    disassembly = word_end + strspn(word_end, " \t");
  }
  for (const char *p = mac_prefixes; *p;) {
    const char *end = strchr(p, ':');
    const size_t length = (size_t)(end - p);
    if (length > 0 && strncmp(disassembly, p, length) == 0) return 1;
    p = end + 1;
  }
  return 0;
}

/* At translation, each block adds its instruction counts to the counters every time it runs. */
static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  const size_t n = qemu_plugin_tb_n_insns(tb);
  qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &executed, n);
  if (!mac_prefixes[0]) return;
  uint64_t block_macs = 0;
  for (size_t i = 0; i < n; ++i) {
    char *disassembly = qemu_plugin_insn_disas(qemu_plugin_tb_get_insn(tb, i));
    if (disassembly && is_mac(disassembly)) ++block_macs;
    free(disassembly);
  }
  if (block_macs) qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &macs, block_macs);
}

static void on_exit_report(qemu_plugin_id_t id, void *userdata) {
  (void)id;
  (void)userdata;
  char line[80];
  snprintf(line, sizeof line, "insns %llu macs %llu\n", (unsigned long long)executed, (unsigned long long)macs);
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
  for (int i = 0; i < argc; ++i) {
    if (strncmp(argv[i], "macs=", 5) == 0 && strlen(argv[i] + 5) + 2 < sizeof mac_prefixes) {
      strcpy(mac_prefixes, argv[i] + 5);
      strcat(mac_prefixes, ":");
    }
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, on_exit_report, NULL);
  return 0;
}
