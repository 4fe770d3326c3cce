#!/usr/bin/env python3
"""Generates the engine's schema-derived sources from the TFLite schema.fbs, into dev.minnow.model:

- OptionsSchema.java: each builtin options table's wire layout (field name, id, type, default). The model reader
  verifies and reads options tables itself (it never lets generated FlatBuffers accessors touch unverified bytes,
  and the engine has no FlatBuffers dependency), so it needs them.
- BuiltinOperator.java: the schema's operator codes and names, so the loader needs no FlatBuffers classes.
- Options.java: one typed record per options table (Options.Conv2D for Conv2DOptions, ...), so kernels read
  options through compile-checked accessors instead of string keys.

usage: engine/tools/gen_options_schema.py [path/to/schema.fbs]   (default: ../shared/tflite/schema.fbs)
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', '..', '..', 'shared', 'tflite', 'schema.fbs')
OUT_DIR = os.path.join(HERE, '..', 'src', 'main', 'java', 'dev', 'minnow', 'model')

SCALARS = {
    'bool': 'BOOL', 'byte': 'I8', 'int8': 'I8', 'ubyte': 'U8', 'uint8': 'U8', 'short': 'I16', 'int16': 'I16',
    'ushort': 'U16', 'uint16': 'U16', 'int': 'I32', 'int32': 'I32', 'uint': 'U32', 'uint32': 'U32',
    'long': 'I64', 'int64': 'I64', 'ulong': 'U64', 'uint64': 'U64', 'float': 'F32', 'float32': 'F32',
    'double': 'F64', 'float64': 'F64',
}
JAVA_KEYWORDS = set('''abstract assert boolean break byte case catch char class const continue default do double else
enum extends final finally float for goto if implements import instanceof int interface long native new package
private protected public return short static strictfp super switch synchronized this throw throws transient try void
volatile while true false null'''.split())


def camel(name):
    """flatc 2.0.8's Java accessor name: lower camel case, keywords escaped with a trailing underscore."""
    if name in JAVA_KEYWORDS:
        name += '_'
    out, i = [], 0
    while i < len(name):
        if name[i] == '_' and i + 1 < len(name):
            out.append(name[i + 1].upper())
            i += 2
        else:
            out.append(name[i])
            i += 1
    return ''.join(out)


def main():
    src = re.sub(r'//[^\n]*', '', open(SCHEMA).read())
    enums = {}
    for name, base, body in re.findall(r'enum\s+(\w+)\s*:\s*(\w+)\s*(?:\([^)]*\))?\s*\{([^}]*)\}', src):
        values, nxt = {}, 0
        for item in body.split(','):
            item = re.sub(r'\([^)]*\)', '', item).strip()
            if not item:
                continue
            if '=' in item:
                k, v = (s.strip() for s in item.split('=', 1))
                nxt = int(v, 0)
            else:
                k = item
            values[k] = nxt
            nxt += 1
        enums[name] = (base, values)
    tables = {n: b for n, b in re.findall(r'table\s+(\w+)\s*(?:\([^)]*\))?\s*\{([^}]*)\}', src)}
    unions = {n: b for n, b in re.findall(r'union\s+(\w+)\s*\{([^}]*)\}', src)}

    def union_members(u):
        return [re.sub(r'\([^)]*\)', '', m).strip() for m in unions[u].split(',') if m.strip()]

    def kind_of(t):
        if t.startswith('['):
            inner = t[1:-1].strip()
            k = kind_of(inner)
            if k == 'STRING':
                return 'V_STRING'
            return 'V_' + k
        if t == 'string':
            return 'STRING'
        if t in SCALARS:
            return SCALARS[t]
        if t in enums:
            return SCALARS[enums[t][0]]
        raise SystemExit('unsupported field type in an options table: ' + t)

    def default_of(kind, t, d):
        if kind.startswith('V_') or kind == 'STRING':
            return 'null'
        if d is None:
            d = 'false' if kind == 'BOOL' else '0'
        elif t in enums and d in enums[t][1]:
            d = str(enums[t][1][d])
        if kind == 'BOOL':
            return 'Boolean.TRUE' if d == 'true' else 'Boolean.FALSE'
        if kind in ('F32',):
            return 'Float.valueOf(%sf)' % float(d)
        if kind in ('F64',):
            return 'Double.valueOf(%s)' % float(d)
        if kind in ('U32', 'I64', 'U64'):
            return 'Long.valueOf(%dL)' % int(d, 0)
        return 'Integer.valueOf(%d)' % int(d, 0)

    def table_spec(name):
        fields, fid = [], 0
        for f in tables[name].split(';'):
            f = f.strip()
            if not f:
                continue
            m = re.match(r'(\w+)\s*:\s*(\[\s*\w+\s*\]|\w+)\s*(?:=\s*([^()\s]+))?\s*(\(([^)]*)\))?$', f, re.S)
            if not m:
                raise SystemExit('cannot parse field "%s" of %s' % (f, name))
            fname, ftype, fdef, _, attrs = m.groups()
            ftype = ftype.replace(' ', '')
            if ftype in unions:
                raise SystemExit('union field in an options table: %s.%s' % (name, fname))
            deprecated = bool(attrs and 'deprecated' in attrs)
            kind = kind_of(ftype)
            fields.append('            f("%s", %d, Kind.%s, %s%s)' % (camel(fname), fid, kind, default_of(kind, ftype, fdef),
                                                                  ', true' if deprecated else ''))
            fid += 1
        return '        t("%s"%s)' % (name, ''.join(',\n' + x for x in fields))

    out = []
    out.append('// Generated by engine/tools/gen_options_schema.py from the TFLite schema.fbs; do not edit.\n')
    out.append('package dev.minnow.model;\n\n')
    out.append('import static dev.minnow.model.OptionsLayout.Kind;\n')
    out.append('import static dev.minnow.model.OptionsLayout.f;\n')
    out.append('import static dev.minnow.model.OptionsLayout.t;\n\n')
    out.append('/** Field layouts of the builtin options tables, indexed by the union type code (0 = NONE). */\n')
    out.append('final class OptionsSchema {\n    private OptionsSchema() {}\n')
    for union, const in (('BuiltinOptions', 'BUILTIN_OPTIONS'), ('BuiltinOptions2', 'BUILTIN_OPTIONS_2')):
        specs = ['        null'] + [table_spec(m) for m in union_members(union)]
        out.append('\n    /** The tables of union {@code %s}. */\n' % union)
        out.append('    static final OptionsLayout[] %s = {\n%s,\n    };\n' % (const, ',\n'.join(specs)))
    out.append('}\n')
    write_java('OptionsSchema.java', out)
    write_operators(enums)
    write_typed_options(tables, union_members, kind_of, default_of)


JAVA_TYPES = {
    'BOOL': ('boolean', 'getBool', None), 'I8': ('int', 'getInt', None), 'U8': ('int', 'getInt', None),
    'I16': ('int', 'getInt', None), 'U16': ('int', 'getInt', None), 'I32': ('int', 'getInt', None),
    'U32': ('long', 'getLong', None), 'I64': ('long', 'getLong', None), 'U64': ('long', 'getLong', None),
    'F32': ('float', 'getFloat', None), 'F64': ('double', 'getDouble', None), 'STRING': ('String', 'getString', None),
    'V_BOOL': ('boolean[]', 'getBools', None), 'V_I8': ('byte[]', 'getBytes', None), 'V_U8': ('byte[]', 'getBytes', None),
    'V_I16': ('int[]', 'getInts', None), 'V_U16': ('int[]', 'getInts', None), 'V_I32': ('int[]', 'getInts', None),
    'V_U32': ('long[]', 'getLongs', None), 'V_I64': ('long[]', 'getLongs', None), 'V_U64': ('long[]', 'getLongs', None),
    'V_F32': ('float[]', 'getFloats', None), 'V_F64': ('double[]', 'getDoubles', None),
}


def java_default(kind, default):
    """The literal a typed accessor falls back to (the schema default) when the model stores no options table."""
    if kind.startswith('V_'):
        return None
    if kind == 'STRING':
        return 'null'
    if default.startswith('Boolean.'):
        return 'true' if default == 'Boolean.TRUE' else 'false'
    inner = re.match(r'\w+\.valueOf\((.*)\)', default).group(1)
    return inner


def write_java(name, parts):
    """Writes a generated source file into dev.minnow.model."""
    path = os.path.join(OUT_DIR, name)
    with open(path, 'w') as fh:
        fh.write(''.join(parts))
    print('wrote', os.path.normpath(path))


def write_operators(enums):
    base, values = enums['BuiltinOperator']
    lines = ['// Generated by engine/tools/gen_options_schema.py from the TFLite schema.fbs; do not edit.\n',
             'package dev.minnow.model;\n\n',
             '/** The schema\'s builtin operators with their codes (enum BuiltinOperator of schema.fbs). */\n',
             'public enum BuiltinOperator {\n']
    items = sorted(values.items(), key=lambda kv: kv[1])
    lines.append(',\n'.join('    %s(%d)' % (k, v) for k, v in items) + ';\n\n')
    lines.append('    private static final BuiltinOperator[] BY_CODE = new BuiltinOperator[%d];\n\n' % (items[-1][1] + 1))
    lines.append('    static {\n        for (BuiltinOperator op : values()) BY_CODE[op.code] = op;\n    }\n\n')
    lines.append('    private final int code;\n\n')
    lines.append('    BuiltinOperator(int code) { this.code = code; }\n\n')
    lines.append('    /** The schema code, e.g. 3 for CONV_2D. */\n')
    lines.append('    public int code() { return code; }\n\n')
    lines.append('    /** The operator with this schema code, or null when the schema has none. */\n')
    lines.append('    public static BuiltinOperator forCode(int code) {\n')
    lines.append('        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;\n    }\n}\n')
    write_java('BuiltinOperator.java', lines)


def write_typed_options(tables, union_members, kind_of, default_of):
    out = ['// Generated by engine/tools/gen_options_schema.py from the TFLite schema.fbs; do not edit.\n',
           'package dev.minnow.model;\n\n',
           '/**\n',
           ' * Typed, read-only views of the builtin options tables: {@code Options.Conv2D.of(op.options())} reads\n',
           ' * Conv2DOptions. Field names are flatc\'s camel-case accessor names; enums are their schema integers; a model\n',
           ' * without the table gives the schema defaults. Deprecated fields are left out.\n',
           ' */\n',
           'public final class Options {\n    private Options() {}\n']
    seen = set()
    for union in ('BuiltinOptions', 'BuiltinOptions2'):
        for table in union_members(union):
            if table in seen:
                continue
            seen.add(table)
            rec = table[:-len('Options')] if table.endswith('Options') and table != 'Options' else table
            fields = []
            for f in tables[table].split(';'):
                f = f.strip()
                if not f:
                    continue
                m = re.match(r'(\w+)\s*:\s*(\[\s*\w+\s*\]|\w+)\s*(?:=\s*([^()\s]+))?\s*(\(([^)]*)\))?$', f, re.S)
                fname, ftype, fdef, _, attrs = m.groups()
                ftype = ftype.replace(' ', '')
                if attrs and 'deprecated' in attrs:
                    continue
                kind = kind_of(ftype)
                jtype, getter, _ = JAVA_TYPES[kind]
                dflt = java_default(kind, default_of(kind, ftype, fdef))
                fields.append((camel(fname), jtype, getter, dflt))
            comps = ', '.join('%s %s' % (t, n) for n, t, _, _ in fields)
            out.append('\n    /** {@code %s} of schema.fbs. */\n' % table)
            out.append('    public record %s(%s) {\n' % (rec, comps))
            out.append('        /** Reads the fields from {@code o} (schema defaults where absent). */\n')
            out.append('        public static %s of(BuiltinOptions o) {\n' % rec)
            args = []
            for n, t, g, d in fields:
                args.append('o.%s("%s")' % (g, n) if d is None else 'o.%s("%s", %s)' % (g, n, d))
            if args:
                out.append('            return new %s(%s);\n' % (rec, ',\n                    '.join(args)))
            else:
                out.append('            return new %s();\n' % rec)
            out.append('        }\n    }\n')
    out.append('}\n')
    write_java('Options.java', out)


if __name__ == '__main__':
    main()
