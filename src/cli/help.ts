/** The help texts of the `vfio-user` command. */

const CAPTURE_OPTIONS = `Capture options:
  --input FORMAT           jsonl, raw, hex or pcapng; guessed from the first bytes when absent
  -f, --follow             keep reading FILE as it grows (like tail -f); stop with Ctrl-C
  --max-line-bytes N       longest capture line (or message, or pcapng block) held;
                           longer input stops with ERR_CAPTURE_LINE_LENGTH (default 4194304)
  --dialect NAME           dialect of messages whose sender the capture does not name,
                           and the default of both sides (default: default)
  --client-dialect NAME    dialect of the client's messages
  --server-dialect NAME    dialect of the server's messages
  --dir c2s|s2c            direction of messages the capture gives none (raw and hex input)
  --drafts                 know the package's draft iommufd commands (27-29); check always does
  Dialects: default, libvfio-user, qemu, rust-vmm, spdk. When no dialect is given and the
  client's VERSION looks like QEMU's (0.0 and QEMU's capability keys), a note on standard
  error suggests --client-dialect qemu.`;

const CAPTURES = `Captures:
  jsonl  one message per line: {"hex": "...", "dir": "c2s"|"s2c", "nfds": N, "conn": N,
         "socket": "main"|"twin", "seq": N, "time": SECONDS}; only hex is required, other
         keys are ignored; time is seconds since the Unix epoch, to the microsecond;
         messages of different conn are separate conversations; socket twin is the twin
         socket of the server's commands
  raw    messages back to back, one direction
  hex    the same bytes as hex text; whitespace and # comments are ignored
  pcapng what 'vfio-user pcap' writes (Wireshark reads it with
         generated/wireshark/vfio-user.lua)
  Captures are read as streams: memory stays bounded whatever their length, and a
  named pipe or standard input is printed as its lines come.
  FILE may be - for standard input. Without FILE, decode, verify and check read standard
  input when it is not a terminal; when it is one, or holds nothing, they work on the
  example session shipped with the package (examples/session.jsonl)
  and say so on standard error.`;

const EXIT = `Exit status: 0 ok; 1 violations or failures; 2 usage or input error.`;

export const MAIN_HELP = `Usage: vfio-user <command> [options] [FILE]

Decode, verify, check and encode vfio-user captures.

Commands:
  decode [FILE]    one line per message (or every field with -v, or JSON with --output json)
  pcap [FILE]      convert a capture to pcapng for Wireshark
  verify [FILE]    decode and re-encode every message; all must come back byte-identical
  check [FILE]     follow the conversation and report every protocol rule broken
  encode [FILE]    JSON messages (decode --output json) in, bytes out
  probe SOCKET     connect to a server and describe its device (regions, IRQs, migration)
  proxy            sit between a client and a server: forward, print, capture, check live
  layout           every struct's fields: struct, field, offset, size
  corpus DIR       write the fuzz seeds to DIR

Run 'vfio-user <command> --help' for a command's options; 'vfio-user -V' prints the version.
Without FILE, decode, verify and check read standard input (when it is not a terminal),
else the built-in example session.

${EXIT}
`;

export const HELP: Readonly<Record<string, string>> = {
  decode: `Usage: vfio-user decode [options] [FILE]

Decodes every message of a capture, each with the dialect of the side that sent it.
Text output: one aligned line per message (seq, direction, msg_id, command, command/
reply/error, key fields, fds); a message that does not decode is shown in place with
the error code and byte offset, and decoding goes on with the next one.

Options:
  --output text|json|pcapng
                           text (default), or one JSON object per message per line:
                           header fields as numbers, the body under its C field names,
                           u64 as decimal strings, byte strings as hex; or pcapng
  -v, --verbose            every field of every message, as a tree; byte strings as a
                           hexdump with an ASCII column, the first 64 bytes
  --full                   with -v, every byte of every hexdump
  --cmd LIST               only these commands: names (DMA_MAP or VFIO_USER_DMA_MAP,
                           any case) or numbers, separated by commas
  --conn LIST              only these connections, separated by commas
  --errors                 only error replies and messages that do not decode
  --stats                  a table instead: per command, the commands, replies, errors,
                           undecodable messages, bytes and fds
  --color auto|always|never
                           colour error replies and undecodable messages; auto
                           (default): on a terminal, unless NO_COLOR is set
  A capture with times gets a column of seconds since its first message.
${CAPTURE_OPTIONS}

${CAPTURES}

Exit status: 0 every message decoded; 1 some did not; 2 usage or input error.
`,
  verify: `Usage: vfio-user verify [options] [FILE]

Decodes every message and encodes it again; reports each message that does not
decode, does not encode, or comes back with different bytes. The last line reads
"N messages, N ok, N failed".

Options:
  -v, --verbose            list the messages that pass too
${CAPTURE_OPTIONS}

${CAPTURES}

Exit status: 0 every message came back byte-identical; 1 some did not; 2 usage or input error.
`,
  check: `Usage: vfio-user check [options] [FILE]

Follows each connection of the capture (one conversation per conn) and reports every
protocol rule a message breaks, with the message's seq and a code (ERR_...). An error
reply to a bad request is legal: the rule a rejected command breaks is not reported.
A capture without dir has each message's sender inferred from its command; for a
message without nfds the fd rules and limits are not checked, and for one without
socket the twin-socket rules (ERR_WRONG_SOCKET) are not.

Options:
  --output text|json       text (default: one line per violation, then
                           "N messages, N violations"), or one JSON object per violation
  -v, --verbose            list the messages before the violations
${CAPTURE_OPTIONS}

${CAPTURES}

Exit status: 0 the conversation is legal; 1 violations; 2 usage or input error.
`,
  encode: `Usage: vfio-user encode [options] [FILE]

Reads JSON messages, one per line, in the form 'decode --output json' writes (FILE,
or standard input when FILE is absent or -), and writes their bytes. kind may be left
out (the header flags say it), and "command" (a name) may stand for "cmd"; msg_size
is ignored. u64 fields take decimal strings (or 0x hex strings); byte strings are hex.
A line written for a message that did not decode ("error" and "hex") is passed through.
'vfio-user decode --output json FILE | vfio-user encode --output jsonl' gives back the
capture's messages byte for byte.

Options:
  --output hex|raw|jsonl   hex: one message per line (default); raw: the bytes back to
                           back; jsonl: a capture, with seq, conn, dir, nfds and
                           socket kept
  --dialect NAME           layout of messages without dir (default: default)
  --client-dialect NAME    layout of the client's messages
  --server-dialect NAME    layout of the server's messages
  --drafts                 know the package's draft iommufd commands (27-29)
  --allow-large            write messages above maxMessageSize (1048608 bytes) too;
                           without it such a message stops with ERR_MESSAGE_TOO_LARGE
  --max-line-bytes N       longest input line held (default 4194304)
  Defaults: flags from kind (command 0, reply 1, error 0x21), error_no 0. A missing
  field stops with ERR_ENCODE_FIELD naming it; an unknown command name with
  ERR_UNKNOWN_COMMAND.

${EXIT}
`,
  pcap: `Usage: vfio-user pcap [options] [FILE]

Converts a capture (jsonl, raw, hex or pcapng; the built-in example without FILE) to
pcapng: one packet per message, LINKTYPE_WIRESHARK_UPPER_PDU (252) with exported-PDU
tags naming the dissector vfio_user_capture, then a 16-byte pseudo-header (direction,
socket, fd count, connection, seq) and the message. Times become packet timestamps.
Open it with: wireshark -X lua_script:generated/wireshark/vfio-user.lua FILE.pcapng

Options:
  -w, --write OUT          write OUT instead of standard output (which must not be a
                           terminal)
${CAPTURE_OPTIONS}

${CAPTURES}

${EXIT}
`,
  probe: `Usage: vfio-user probe [--json] SOCKET

Connects to the vfio-user server listening on SOCKET, negotiates VERSION (offering the
iommufd extension), and describes the device: the server's capabilities, whether
iommufd and a twin socket are in use, DEVICE_GET_INFO, every region (size, flags,
capabilities such as sparse mmap areas, whether its fd came with it), every IRQ index
(vectors and flags), and whether the device supports migration (DEVICE_FEATURE
MIGRATION). Then it disconnects.

Options:
  --json, --output json    one JSON object instead of text (regions and IRQs under their
                           C field names, u64 as decimal strings)

${EXIT}
`,
  proxy: `Usage: vfio-user proxy --listen PATH --connect PATH [options]

Listens on PATH (--listen) and, for every connection a client makes, connects to the
server at --connect and forwards every message both ways, each with exactly the fds
that came with it. The twin socket is followed too: the server's socket in the VERSION
reply is replaced by one end of the proxy's own pair, and the proxy forwards between
them. Each message is printed as one decode line with a time column. Runs until
SIGINT or SIGTERM; the exit status is 1 when --check found violations.

Options:
  --listen PATH            where clients connect (a socket file already there is replaced)
  --connect PATH           the server's socket
  --capture FILE           write every message to FILE as a JSONL capture (seq, time,
                           conn, dir, nfds, socket, hex)
  --pcapng FILE            write every message to FILE as pcapng (see 'vfio-user pcap')
  --check                  follow each connection's conversation and print every
                           protocol rule broken as it happens
  --dialect NAME           the dialect both sides write (as for decode and check)
  --client-dialect NAME, --server-dialect NAME
  --drafts                 know the package's draft commands
  --quiet                  print no line per message

${EXIT}
`,
  layout: `Usage: vfio-user layout [--output tsv|json]

Every struct of the protocol, field by field, from the spec: a "(sizeof)" row per
struct, each field with its offset and size, a flexible array member as size 0.

Options:
  --output tsv|json        tsv: "struct<TAB>field<TAB>offset<TAB>size" with a header
                           line (default); json: an array of {struct, field, offset, size}
                           (--format is the same option's older name)

${EXIT}
`,
  corpus: `Usage: vfio-user corpus DIR

Writes the fuzz seeds (the files of generated/corpus/, one raw message per seed, and
their manifest) to DIR, creating it when needed.

${EXIT}
`,
};
