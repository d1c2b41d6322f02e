#!/usr/bin/env python3
"""Generates Tessera's invocation headers from the .def files in abi/invocations.

One description, three outputs, so that the user-side packing and the kernel-side unpacking can
never disagree:
  --labels   C header: invocation labels numbered as libsel4 numbers them
  --client   C header: libsel4-compatible client stubs (seL4_CNode_Copy, ...)
  --decode   C++ header: per-invocation argument structs with pack/unpack for the kernel
  --bridge   C++ header for host tests: calls each client stub from an argument struct

Standard library only. The packing rules are libsel4's (tools/syscall_stub_gen.py, restated
here in our own code): every non-capability argument is aligned to min(its width, word) bits and
placed after the previous one; capabilities after the invoked one travel as extra caps in order.

tessera.def, if present, describes Tessera-only invocations: each method gives its own label
number (above every seL4 number) and only --decode emits them (libsel4 has no stubs for them).
"""

import argparse
import os
import sys

WORD = 64
FAST_MRS = 4  # MR0..MR3 travel in registers on x86_64

# Type name -> (kind, packed width in bits). kind: "cap", "word", "bits", "rights", "struct".
TYPES = {
    "seL4_Word": ("word", 64),
    "seL4_Uint64": ("word", 64),
    "seL4_Time": ("word", 64),
    "seL4_Uint32": ("bits", 32),
    "seL4_Uint16": ("bits", 16),
    "seL4_Uint8": ("bits", 8),
    "seL4_Bool": ("bits", 1),
    "seL4_X86_VMAttributes": ("word", 64),
    "seL4_CapRights_t": ("rights", 64),
    "seL4_UserContext": ("struct", 64 * 20),
}
CAP_TYPES = {
    "seL4_CPtr", "seL4_CNode", "seL4_TCB", "seL4_Untyped", "seL4_IRQControl", "seL4_IRQHandler",
    "seL4_DomainSet", "seL4_X86_PDPT", "seL4_X64_PML4", "seL4_X86_PageDirectory",
    "seL4_X86_PageTable", "seL4_X86_Page", "seL4_X86_ASIDControl", "seL4_X86_ASIDPool",
    "seL4_X86_IOPortControl", "seL4_X86_IOPort", "seL4_X86_IOPageTable", "seL4_X86_VCPU",
    "seL4_X86_EPTPDPT", "seL4_X86_EPTPD", "seL4_X86_EPTPT", "seL4_X86_EPTPML4",
}
USER_CONTEXT_MEMBERS = [
    "rip", "rsp", "rflags", "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "fs_base", "gs_base",
]
LAYERS = [("generic", "invocation_label", "InvalidInvocation", "nInvocationLabels"),
          ("x86_64", "sel4_arch_invocation_label", None, "nSeL4ArchInvocationLabels"),
          ("x86", "arch_invocation_label", None, "nArchInvocationLabels")]
# Tessera-only invocations: numbered in their .def file, decoded by the kernel, no libsel4 stubs.
TESSERA_LAYER = "tessera"
TESSERA_FIRST_LABEL = 256


class DefError(Exception):
    pass


class Param:
    def __init__(self, direction, name, type_name, where):
        if type_name not in CAP_TYPES and type_name not in TYPES:
            raise DefError("%s: unknown type %s" % (where, type_name))
        self.direction = direction
        self.name = name
        self.type = type_name
        self.is_cap = type_name in CAP_TYPES
        if not self.is_cap:
            self.kind, self.width = TYPES[type_name]
        self.first_bit = None

    @property
    def word(self):
        return self.first_bit // WORD

    @property
    def shift(self):
        return self.first_bit % WORD

    @property
    def words(self):
        return max(1, self.width // WORD)


class Method:
    def __init__(self, interface, label, name, condition, layer):
        self.interface = interface
        self.label = label
        self.name = name
        self.condition = condition
        self.layer = layer
        self.params = []
        self.number = None

    def inputs(self):
        return [p for p in self.params if p.direction == "in"]

    def outputs(self):
        return [p for p in self.params if p.direction == "out"]

    def caps(self):
        return [p for p in self.inputs() if p.is_cap]

    def in_words(self):
        return [p for p in self.inputs() if not p.is_cap]

    def c_name(self):
        return "%s_%s" % (self.interface, self.name)

    def cxx_name(self):
        return self.label


def place(params):
    """Assigns first_bit to each parameter, libsel4's way; returns the number of words used."""
    bits = 0
    for p in params:
        align = min(p.width, WORD)
        bits = (bits + align - 1) // align * align
        p.first_bit = bits
        bits += p.width
    return (bits + WORD - 1) // WORD


def parse(path, layer, methods):
    interface = None
    current = None
    with open(path) as f:
        for number, raw in enumerate(f, 1):
            where = "%s:%d" % (path, number)
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            fields = line.split()
            if fields[0] == "interface" and len(fields) == 2:
                interface = fields[1]
                current = None
            elif fields[0] == "method" and len(fields) == 4 and layer == TESSERA_LAYER:
                if interface is None:
                    raise DefError("%s: method outside an interface" % where)
                if not fields[3].isdigit():
                    raise DefError("%s: expected a label number" % where)
                current = Method(interface, fields[1], fields[2], None, layer)
                current.number = int(fields[3])
                methods.append(current)
            elif fields[0] == "method" and len(fields) in (3, 5) and layer != TESSERA_LAYER:
                if interface is None:
                    raise DefError("%s: method outside an interface" % where)
                condition = None
                if len(fields) == 5:
                    if fields[3] != "when":
                        raise DefError("%s: expected 'when <config>'" % where)
                    condition = fields[4]
                current = Method(interface, fields[1], fields[2], condition, layer)
                methods.append(current)
            elif fields[0] in ("in", "out") and len(fields) == 3:
                if current is None:
                    raise DefError("%s: argument outside a method" % where)
                current.params.append(Param(fields[0], fields[1], fields[2], where))
            else:
                raise DefError("%s: cannot parse '%s'" % (where, line))


def load(def_dir, enabled):
    methods = []
    for layer, _, _, _ in LAYERS:
        parse(os.path.join(def_dir, layer + ".def"), layer, methods)
    active = [m for m in methods if m.condition is None or m.condition in enabled]
    # libsel4 numbers each layer after the previous one; InvalidInvocation is 0.
    for number, m in enumerate(active, 1):
        m.number = number
        if m.outputs() and any(p.is_cap for p in m.outputs()):
            raise DefError("%s: capabilities cannot be outputs" % m.label)
        m.word_count = place(m.in_words())
        m.out_word_count = place(m.outputs())
    seen = set()
    for m in active:
        if m.label in seen:
            raise DefError("duplicate label %s" % m.label)
        seen.add(m.label)
        if m.word_count > 120:
            raise DefError("%s: more than seL4_MsgMaxLength words" % m.label)
        if len(m.caps()) > 3:
            raise DefError("%s: more than seL4_MsgMaxExtraCaps caps" % m.label)
    return active


def load_tessera(def_dir, sel4_methods):
    """The Tessera-only methods of tessera.def (none without that file), checked like seL4's and
    numbered as written: at or above TESSERA_FIRST_LABEL, each number once."""
    path = os.path.join(def_dir, TESSERA_LAYER + ".def")
    methods = []
    if os.path.exists(path):
        parse(path, TESSERA_LAYER, methods)
    labels = {m.label for m in sel4_methods}
    numbers = set()
    for m in methods:
        if m.number < TESSERA_FIRST_LABEL:
            raise DefError("%s: Tessera label %d below %d" % (m.label, m.number, TESSERA_FIRST_LABEL))
        if m.number in numbers or m.label in labels:
            raise DefError("duplicate label %s" % m.label)
        numbers.add(m.number)
        labels.add(m.label)
        if any(p.is_cap for p in m.outputs()):
            raise DefError("%s: capabilities cannot be outputs" % m.label)
        m.word_count = place(m.in_words())
        m.out_word_count = place(m.outputs())
    return methods


HEADER = "/* Generated by abi/gen/generate.py from the .def files in abi/invocations. Do not edit. */\n"


def mask(width):
    return "0x%xull" % ((1 << width) - 1)


# ---------------------------------------------------------------------------------------------
# Labels


def gen_labels(methods):
    out = [HEADER, "/* Tessera ABI: invocation labels, the message label of a kernel invocation,",
           " * numbered as libsel4 numbers them for x86_64 non-MCS (IOMMU, VT-x off). */",
           "#pragma once", ""]
    previous_end = None
    for layer, enum_name, first, end in LAYERS:
        layer_methods = [m for m in methods if m.layer == layer]
        out.append("enum %s {" % enum_name)
        if first:
            out.append("    %s = 0," % first)
        for m in layer_methods:
            out.append("    %s = %d," % (m.label, m.number))
        count = (layer_methods[-1].number + 1) if layer_methods else None
        if count is None:
            out.append("    %s = %s," % (end, previous_end))
        else:
            out.append("    %s = %d," % (end, count))
        out.append("};")
        out.append("")
        previous_end = end
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# Client stubs (C)


def c_param_decl(p):
    if p.is_cap:
        return "%s %s" % (p.type, p.name)
    if p.kind == "struct":
        return "%s *%s" % (p.type, p.name)
    return "%s %s" % (p.type, p.name)


def c_input_expressions(m):
    words = [[] for _ in range(m.word_count)]
    for p in m.in_words():
        if p.kind == "struct":
            for i, member in enumerate(USER_CONTEXT_MEMBERS):
                words[p.word + i].append("%s->%s" % (p.name, member))
        elif p.kind == "rights":
            words[p.word].append("%s.words[0]" % p.name)
        elif p.width == WORD:
            words[p.word].append("(seL4_Word)%s" % p.name)
        else:
            expr = "((seL4_Word)%s & %s)" % (p.name, mask(p.width))
            if p.shift:
                expr = "(%s << %d)" % (expr, p.shift)
            words[p.word].append(expr)
    return [" | ".join(w) if w else "0" for w in words]


def c_word_source(i):
    return "mr%d" % i if i < FAST_MRS else "seL4_GetMR(%d)" % i


def gen_client(methods):
    out = [HEADER,
           "/* libsel4-compatible client stubs: one static inline function per invocation, with",
           " * libsel4's name, signature and message layout. Include after seL4_CallWithMRs,",
           " * seL4_SetMR, seL4_GetMR and seL4_SetCap are declared (sel4/sel4.h does this; host",
           " * tests declare recording fakes instead). */",
           "#pragma once", "",
           "#include <tessera/abi/abi.h>",
           "#include <tessera/abi/invocation_labels.h>", ""]
    for m in methods:
        results = [p for p in m.outputs() if p.kind != "struct"]
        if results:
            out.append("struct %s {" % m.c_name())
            out.append("    int error;")
            for p in results:
                out.append("    %s %s;" % (p.type, p.name))
            out.append("};")
            out.append("typedef struct %s %s_t;" % (m.c_name(), m.c_name()))
            out.append("")
    for m in methods:
        results = [p for p in m.outputs() if p.kind != "struct"]
        ret = ("%s_t" % m.c_name()) if results else "seL4_Error"
        service = "%s _service" % m.interface
        params = [service] + [c_param_decl(p) for p in m.inputs()]
        params += [c_param_decl(p) for p in m.outputs() if p.kind == "struct"]
        out.append("/* %s: label %s (%d), %d word(s), %d extra cap(s). */" %
                   (m.c_name(), m.label, m.number, m.word_count, len(m.caps())))
        out.append("static inline %s %s(%s)" % (ret, m.c_name(), ", ".join(params)))
        out.append("{")
        out.append("    %s result;" % ret)
        out.append("    seL4_MessageInfo_t tag = seL4_MessageInfo_new(%s, 0, %d, %d);" %
                   (m.label, len(m.caps()), m.word_count))
        out.append("    seL4_MessageInfo_t output_tag;")
        exprs = c_input_expressions(m)
        for i in range(FAST_MRS):
            out.append("    seL4_Word mr%d = %s;" % (i, exprs[i] if i < len(exprs) else "0"))
        for i, cap in enumerate(m.caps()):
            out.append("    seL4_SetCap(%d, %s);" % (i, cap.name))
        for i in range(FAST_MRS, len(exprs)):
            out.append("    seL4_SetMR(%d, %s);" % (i, exprs[i]))
        out.append("    output_tag = seL4_CallWithMRs(_service, tag, &mr0, &mr1, &mr2, &mr3);")
        err = "result.error" if results else "result"
        cast = "(int)" if results else "(seL4_Error)"
        out.append("    %s = %sseL4_MessageInfo_get_label(output_tag);" % (err, cast))
        out.append("    if (%s != seL4_NoError) {" % err)
        out.append("        /* On error the detail is in MR0..; keep it where seL4_GetMR finds it. */")
        for i in range(FAST_MRS):
            out.append("        seL4_SetMR(%d, mr%d);" % (i, i))
        out.append("        return result;")
        out.append("    }")
        for p in m.outputs():
            if p.kind == "struct":
                for i, member in enumerate(USER_CONTEXT_MEMBERS):
                    out.append("    %s->%s = %s;" % (p.name, member, c_word_source(p.word + i)))
            elif p.width == WORD:
                out.append("    result.%s = %s;" % (p.name, c_word_source(p.word)))
            else:
                src = c_word_source(p.word)
                if p.shift:
                    src = "(%s >> %d)" % (src, p.shift)
                out.append("    result.%s = (%s)(%s & %s);" % (p.name, p.type, src, mask(p.width)))
        out.append("    return result;")
        out.append("}")
        out.append("")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# Kernel decoder (C++)


def cxx_field(p):
    if p.kind == "struct":
        return "    seL4_UserContext %s{};" % p.name
    return "    seL4_Word %s{};  // %s, bits %d..%d of word %d" % (
        p.name, p.type, p.shift, p.shift + p.width - 1, p.word) if p.width < WORD else \
        "    seL4_Word %s{};  // %s, word %d" % (p.name, p.type, p.word)


def cxx_unpack_lines(params, words_var):
    lines = []
    for p in params:
        if p.kind == "struct":
            for i, member in enumerate(USER_CONTEXT_MEMBERS):
                lines.append("        a.%s.%s = %s[%d];" % (p.name, member, words_var, p.word + i))
            continue
        alone = all(q is p or q.word != p.word for q in params if q.kind != "struct")
        if p.width == WORD or alone:
            # A lone narrow argument keeps its whole word: seL4's decoders read the full word and
            # range-check it, so out-of-range values must reach the decoder, not be masked away.
            lines.append("        a.%s = %s[%d];" % (p.name, words_var, p.word))
        else:
            lines.append("        a.%s = (%s[%d] >> %d) & %s;" %
                         (p.name, words_var, p.word, p.shift, mask(p.width)))
    return lines


def cxx_pack_lines(params, count, words_var):
    lines = ["        for (unsigned i = 0; i < %d; ++i) %s[i] = 0;" % (count, words_var)] \
        if count else []
    for p in params:
        if p.kind == "struct":
            for i, member in enumerate(USER_CONTEXT_MEMBERS):
                lines.append("        %s[%d] = a.%s.%s;" % (words_var, p.word + i, p.name, member))
        elif p.width == WORD:
            lines.append("        %s[%d] |= a.%s;" % (words_var, p.word, p.name))
        else:
            lines.append("        %s[%d] |= (a.%s & %s) << %d;" %
                         (words_var, p.word, p.name, mask(p.width), p.shift))
    return lines


def word_masks(params, count):
    masks = [0] * count
    for p in params:
        if p.kind == "struct":
            for i in range(20):
                masks[p.word + i] = (1 << WORD) - 1
        else:
            masks[p.word] |= ((1 << p.width) - 1) << p.shift
    return masks


def gen_decode(methods, tessera_methods=()):
    out = [HEADER,
           "// Kernel-side view of every invocation: its label, its argument words and extra caps,",
           "// and pack/unpack functions generated from the same description as the client stubs.",
           "// Freestanding C++20: no library beyond the ABI headers.",
           "#pragma once", "",
           "#include <tessera/abi/abi.h>",
           "#include <tessera/abi/invocation_labels.h>", "",
           "namespace tessera::abi::invocation {", ""]
    for m in list(methods) + list(tessera_methods):
        name = m.cxx_name()
        ins = m.in_words()
        outs = m.outputs()
        out.append("// %s: %s" % (name, m.c_name()))
        out.append("struct %s {" % name)
        out.append("    static constexpr seL4_Word label = %d;" % m.number)
        out.append("    static constexpr unsigned word_count = %d;" % m.word_count)
        out.append("    static constexpr unsigned cap_count = %d;" % len(m.caps()))
        out.append("    static constexpr unsigned reply_word_count = %d;" % m.out_word_count)
        out.append("    static constexpr const char* name = \"%s\";" % m.c_name())
        for i, cap in enumerate(m.caps()):
            out.append("    static constexpr unsigned %s_cap = %d;  // extra cap index, %s" %
                       (cap.name, i, cap.type))
        masks = word_masks(ins, m.word_count)
        out.append("    // Bits of each argument word that carry an argument.")
        out.append("    static constexpr seL4_Word word_masks[%d] = {%s};" %
                   (max(1, m.word_count), ", ".join("0x%xull" % x for x in masks) or "0"))
        out.append("    struct Args {")
        for p in ins:
            out.append("    " + cxx_field(p))
        out.append("    };")
        out.append("    // Reads the arguments from message words; the caller has checked")
        out.append("    // length >= word_count (seL4_TruncatedMessage otherwise).")
        out.append("    [[nodiscard]] static constexpr Args unpack(const seL4_Word* words)")
        out.append("    {")
        if not ins:
            out.append("        (void)words;")
        out.append("        Args a{};")
        out.extend(cxx_unpack_lines(ins, "words"))
        out.append("        return a;")
        out.append("    }")
        out.append("    // Writes the arguments as the client stub does; returns the word count.")
        out.append("    static constexpr unsigned pack(const Args& a, seL4_Word* words)")
        out.append("    {")
        if not ins:
            out.append("        (void)a;")
            out.append("        (void)words;")
        out.extend(cxx_pack_lines(ins, m.word_count, "words"))
        out.append("        return word_count;")
        out.append("    }")
        out.append("    struct Reply {")
        for p in outs:
            out.append("    " + cxx_field(p))
        out.append("    };")
        out.append("    static constexpr unsigned pack_reply(const Reply& a, seL4_Word* words)")
        out.append("    {")
        if not outs:
            out.append("        (void)a;")
            out.append("        (void)words;")
        out.extend(cxx_pack_lines(outs, m.out_word_count, "words"))
        out.append("        return reply_word_count;")
        out.append("    }")
        out.append("    [[nodiscard]] static constexpr Reply unpack_reply(const seL4_Word* words)")
        out.append("    {")
        if not outs:
            out.append("        (void)words;")
        out.append("        Reply a{};")
        out.extend(cxx_unpack_lines(outs, "words"))
        out.append("        return a;")
        out.append("    }")
        out.append("};")
        out.append("")
    out.append("// Calls f.template operator()<Invocation>() once per seL4 invocation, in label order")
    out.append("// (the Tessera-only ones above, from tessera.def, have no libsel4 stub to compare with).")
    out.append("template <class F> constexpr void for_each(F&& f)")
    out.append("{")
    for m in methods:
        out.append("    f.template operator()<%s>();" % m.cxx_name())
    out.append("}")
    out.append("")
    out.append("inline constexpr unsigned count = %d;" % len(methods))
    out.append("")
    out.append("}  // namespace tessera::abi::invocation")
    return "\n".join(out) + "\n"


def gen_bridge(methods):
    out = [HEADER,
           "// Host-test helper: calls each libsel4 client stub with the arguments in an Args",
           "// struct, so tests can compare what the stub sends with what the decoder reads.",
           "// Include after the client stubs.",
           "#pragma once", "",
           "#include <tessera/abi/invocation_decode.h>", "",
           "namespace tessera::abi::invocation {", ""]
    for m in methods:
        name = m.cxx_name()
        out.append("inline void call_client(%s, seL4_CPtr service, const seL4_CPtr* caps," % name)
        out.append("                        const %s::Args& a, %s::Reply& r)" % (name, name))
        out.append("{")
        args = ["service"]
        cap_index = 0
        for p in m.inputs():
            if p.is_cap:
                args.append("caps[%d]" % cap_index)
                cap_index += 1
            elif p.kind == "struct":
                out.append("    seL4_UserContext %s_copy = a.%s;" % (p.name, p.name))
                args.append("&%s_copy" % p.name)
            elif p.kind == "rights":
                out.append("    seL4_CapRights_t %s_value;" % p.name)
                out.append("    %s_value.words[0] = a.%s;" % (p.name, p.name))
                args.append("%s_value" % p.name)
            else:
                args.append("(%s)a.%s" % (p.type, p.name))
        if not m.caps():
            out.append("    (void)caps;")
        if not m.in_words():
            out.append("    (void)a;")
        struct_outs = [p for p in m.outputs() if p.kind == "struct"]
        value_outs = [p for p in m.outputs() if p.kind != "struct"]
        for p in struct_outs:
            args.append("&r.%s" % p.name)
        call = "%s(%s)" % (m.c_name(), ", ".join(args))
        if value_outs:
            out.append("    auto result = %s;" % call)
            for p in value_outs:
                out.append("    r.%s = result.%s;" % (p.name, p.name))
        else:
            out.append("    (void)%s;" % call)
            if not struct_outs:
                out.append("    (void)r;")
        out.append("}")
        out.append("")
    out.append("}  // namespace tessera::abi::invocation")
    return "\n".join(out) + "\n"


def write_if_changed(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.exists(path):
        with open(path) as f:
            if f.read() == text:
                return
    with open(path, "w") as f:
        f.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--defs", required=True, help="folder holding generic/x86_64/x86.def")
    parser.add_argument("--enable", action="append", default=[],
                        help="config name whose 'when' methods exist (none by default)")
    parser.add_argument("--labels")
    parser.add_argument("--client")
    parser.add_argument("--decode")
    parser.add_argument("--bridge")
    parser.add_argument("--list", action="store_true", help="print label numbers and exit")
    args = parser.parse_args()
    try:
        methods = load(args.defs, set(args.enable))
        tessera_methods = load_tessera(args.defs, methods)
    except DefError as error:
        print("generate.py: %s" % error, file=sys.stderr)
        return 1
    if args.list:
        for m in methods + tessera_methods:
            print("%3d %-32s %-40s words=%d caps=%d" %
                  (m.number, m.label, m.c_name(), m.word_count, len(m.caps())))
        return 0
    outputs = [(args.labels, gen_labels), (args.client, gen_client),
               (args.decode, lambda ms: gen_decode(ms, tessera_methods)), (args.bridge, gen_bridge)]
    for path, generator in outputs:
        if path:
            write_if_changed(path, generator(methods))
    return 0


if __name__ == "__main__":
    sys.exit(main())
