/**
 * The "Capturing traffic" chapter of the protocol document: how to record a
 * conversation, the capture formats, and Wireshark. Prose as plain data; the
 * docs generator renders it after the Interoperability chapter.
 */
import type { ChapterPart } from './iommufd.js';

/** The pcapng pseudo-header before each message (src/capture/pcapng.ts writes and reads it). */
export const pcapngPseudoHeader: readonly { readonly offset: number; readonly size: number; readonly field: string; readonly meaning: string }[] = [
  { offset: 0, size: 1, field: 'version', meaning: '1' },
  { offset: 1, size: 1, field: 'dir', meaning: '0 unknown, 1 client to server (`c2s`), 2 server to client (`s2c`)' },
  { offset: 2, size: 1, field: 'socket', meaning: '0 unknown, 1 the main socket, 2 the twin socket' },
  { offset: 3, size: 1, field: 'known', meaning: 'bit 0: nfds is known; bit 1: conn is known; bit 2: the packet timestamp is the message\'s time' },
  { offset: 4, size: 4, field: 'nfds', meaning: 'file descriptors that travelled with the message (SCM_RIGHTS)' },
  { offset: 8, size: 4, field: 'conn', meaning: 'connection number (a connection named by a string travels in the packet comment as `conn=NAME`)' },
  { offset: 12, size: 4, field: 'seq', meaning: 'the message\'s number in the capture' },
];

export const captureChapter: readonly ChapterPart[] = [
  {
    title: 'Capture formats',
    paragraphs: [
      'A vfio-user conversation travels over a Unix socket, with file descriptors beside some messages, so ordinary packet capture does not see it. This package records it in its own formats and reads them back with the same codec that decodes live traffic (`vfio-user-protocol/capture`; the `vfio-user` command reads all of them):',
      '- **JSONL**, one message per line: `{"seq": 1, "time": 1733450000.123456, "conn": 0, "dir": "c2s", "nfds": 0, "socket": "main", "hex": "..."}`. Only `hex` (the whole message, header included) is required. `time` is seconds since the Unix epoch, to the microsecond; `dir` is `c2s` (client to server) or `s2c`; `nfds` the number of fds that came with the message; `conn` separates connections; `socket` is `twin` for messages on the twin socket.',
      '- **raw**: the bytes of one direction of a socket, messages back to back (framed by `msg_size`); **hex**: the same as hex text, with `#` comments.',
      '- **pcapng**, for Wireshark: see below.',
      'Readers take captures as streams: memory stays bounded by the longest line (`maxLineBytes`, default 4 MiB; a longer one is `ERR_CAPTURE_LINE_LENGTH`), whatever the capture\'s length, and a growing file can be followed (`vfio-user decode --follow FILE`). A malformed capture is `ERR_CAPTURE_FORMAT`.',
    ],
  },
  {
    title: 'Recording a conversation',
    paragraphs: [
      'A program built on this package records what it sends and receives with `CaptureWriter` (`vfio-user-protocol/capture`): one `write({ dir, nfds, conn, socket, bytes })` per message, JSONL or pcapng, each stamped with the time it is written. The example client (`examples/device/client.ts --capture FILE`) does so.',
      'Between two programs that are not built on it (QEMU and a libvfio-user device, say), put `vfio-user proxy --listen PATH --connect PATH` on the socket: it listens where the client will connect, connects to the server for each client, and forwards every message with exactly the fds it came with, in both directions. It prints one `decode` line per message with a time column, writes `--capture FILE.jsonl` and `--pcapng FILE` as it goes, and with `--check` (and the dialect options) runs the checker per connection and prints each violation when it happens.',
      'When the server grants a twin socket, the proxy swaps the socket fd of the VERSION reply for one end of a socket pair of its own and forwards between the two, so the server\'s DMA_READ/DMA_WRITE traffic is seen too (`"socket": "twin"`). A client that opens a second connection elsewhere (libvfio-user\'s sample client migrating to `<socket>_migrated`) is seen only where it goes through the proxy. The package\'s tests run libvfio-user\'s sample client and server, QEMU with the example device, and the example client and server through it, and check that each side behaves as when connected directly and that the proxy\'s capture passes `check` and `verify`.',
    ],
  },
  {
    title: 'Wireshark',
    paragraphs: [
      '`vfio-user pcap FILE -w FILE.pcapng` (or `vfio-user decode --output pcapng`) converts any capture to pcapng with one packet per message. The link type is LINKTYPE_WIRESHARK_UPPER_PDU (252): each packet starts with Wireshark\'s exported-PDU tags (big-endian type-length-value; tag 12, EXP_PDU_TAG_DISSECTOR_NAME, names the dissector `vfio_user_capture`; tag 0 ends them), then a 16-byte little-endian pseudo-header, then the message. The packet timestamp is the message\'s time. A message longer than the snap length, 262144 bytes (Wireshark\'s limit for exported PDUs), is cut there and keeps its original length in the packet block.',
      'The dissector is `generated/wireshark/vfio-user.lua`, generated from the same specification as this document: `wireshark -X lua_script:generated/wireshark/vfio-user.lua FILE.pcapng` (or copy it to `~/.local/lib/wireshark/plugins/`). Every field is named by its path in `vfio-user decode --output json`, with the protocol\'s C names: `vfio_user.msg_id`, `vfio_user.dma_map.addr`, `vfio_user.device_get_region_info.caps.areas.size`, `vfio_user.version.data`; each flag is a bit field (`vfio_user.dma_map.flags.VFIO_USER_F_DMA_REGION_READ`), enumerations and `error_no` show their names, the VERSION JSON is handed to Wireshark\'s JSON dissector. The pseudo-header shows as `vfio_user_capture.dir`, `.socket`, `.nfds`, `.conn` and `.seq`. A message the codec refuses gets `vfio_user.refused` (the package\'s error code, as `decode` reports it) and an expert-info error; an error reply gets an expert note with its errno. The dialect of each side is a preference (`vfio_user.client_dialect`, `vfio_user.server_dialect`). A filter such as `vfio_user.refused || vfio_user.kind == "error"` finds what went wrong.',
      'The package\'s tests run tshark with the dissector over the example session and every corpus seed: every field it prints equals `decode --output json`, and it refuses exactly the messages the codec refuses, with the same code.',
    ],
  },
];
