/**
 * The iommufd chapter of the protocol document: prose, as plain data. The
 * docs generator renders it with the command tables of commands 19-26 and
 * of the draft commands.
 */

/** One titled part of the chapter, Markdown paragraphs. */
export interface ChapterPart {
  readonly title: string;
  readonly paragraphs: readonly string[];
}

export const iommufdChapter: readonly ChapterPart[] = [
  {
    title: 'Status',
    paragraphs: [
      'Commands 19 to 26 come from libvfio-user pull request #833 ("lib: add iommufd protocol support", head 30440749, open and unmerged). Their numbers and layouts are a proposal; the QEMU protocol document does not assign them. This package encodes them byte for byte as that branch puts them on the wire, so a client built on it can talk to a server built from the branch.',
      'A peer uses the extension only when both sides send `"iommufd": {"supported": true}` inside `capabilities` in VERSION. A server from the branch adds the key as the last one of its reply whenever the client sent it; a server without the branch ignores the unknown key and leaves it out, and its absence is the only signal: the client then stays with DMA_MAP and DMA_UNMAP. A value of any type other than boolean makes the whole VERSION fail with EINVAL.',
      'Legacy DMA_MAP and DMA_UNMAP remain valid in iommufd mode. Before iommufd mode is on, every command 19 to 26 is a protocol violation (`ERR_IOMMUFD_NOT_NEGOTIATED`), and a server answers it with EINVAL, as servers without the branch do for any command they do not know.',
    ],
  },
  {
    title: 'Who chooses the IOVA, and why',
    paragraphs: [
      'With DMA_MAP the client names the DMA address of every window and the server has to translate each address the device is given into a place in its own memory. With IOAS_MAP the server chooses: it maps the passed file descriptor into its own address space and returns, in `iova` of the reply, the address at which the device can reach the memory directly. In the branch that address is the server\'s own virtual address of the mapping (the page-aligned mmap plus `offset % page size`), so an IOVA of the form 0x7f...010 comes back for an offset of 0x1010.',
      'The point is speed: a client that hands the returned IOVA straight to the device (in a descriptor ring, a command, a doorbell write) saves the server a lookup per access. It also lets a client register memory that is described only by a file descriptor, such as a dma-buf exported by another PCI device.',
      'Returning a real address does not make it trusted. A server must check every address a client uses — in a descriptor, in DMA_READ/DMA_WRITE, in a later IOAS_UNMAP — against the mappings of the IOAS the device is attached to, exactly as it checks DMA_MAP windows, because a client can send any 64-bit value. The branch keeps both kinds of mapping in one lookup and treats IOAS mappings as directly usable addresses; a server written against this document should keep the same discipline: an address is usable only if it lies inside a live mapping of the attached IOAS.',
    ],
  },
  {
    title: 'Objects: IOAS, binding, attachment',
    paragraphs: [
      'ALLOC_IOAS creates an I/O address space and returns its id in `out_ioas_id` (the branch counts from 1). IOAS_MAP adds a mapping to an IOAS; IOAS_UNMAP removes one, matched exactly by `iova` and `length` (no partial unmap, no superset as the kernel allows); DESTROY_IOAS removes an IOAS that the device is not attached to (EBUSY otherwise).',
      'BIND, ATTACH_PT and DETACH_PT mirror the kernel\'s VFIO_DEVICE_BIND_IOMMUFD, VFIO_DEVICE_ATTACH_IOMMUFD_PT and VFIO_DEVICE_DETACH_IOMMUFD_PT. Over a socket the connection already names the device, so their meaning shrinks: BIND says "this connection uses the iommufd model" and returns a device id that nothing else uses (the branch always returns 1, and a second BIND gets EEXIST); ATTACH_PT selects which IOAS the device\'s DMA goes through (`pt_id` is an IOAS id; there are no hardware page tables to name); DETACH_PT undoes it. The `iommufd` field of BIND carries a client-side file descriptor number that is never passed and is ignored.',
      'The typical sequence is VERSION (both advertise iommufd), BIND, ALLOC_IOAS, ATTACH_PT with the new IOAS, IOAS_MAP for each piece of memory (one fd each), and at the end IOAS_UNMAP, DETACH_PT, DESTROY_IOAS. The fixture catalogue holds this conversation, with the error replies the branch produces: ENOENT for an unknown IOAS, EBUSY for destroying the attached IOAS, EEXIST for a second BIND, EINVAL for IOAS_MAP with two fds.',
    ],
  },
  {
    title: 'argsz in replies',
    paragraphs: [
      'Requests carry `argsz` = the size of their struct, as the kernel structs do, but the branch validates neither `argsz` nor `flags` of any iommufd request: it checks only that the body is at least as long as the struct. Its replies to ALLOC_IOAS and BIND are the struct with every field zero except the output (`out_ioas_id`, `out_devid`), so `argsz` in those replies is 0; its IOAS_MAP reply is the request echoed with `iova` filled in, so `argsz` there is whatever the client sent. A decoder must accept all of these, and this package does; a client must read only the output fields.',
    ],
  },
  {
    title: 'Open points of the pull request',
    paragraphs: [
      'Device ids: a reviewer questioned whether BIND and `out_devid` belong in vfio-user at all, since the protocol has no notion of device ids; the branch returns a dummy value.',
      'IOAS_COPY has a number (23) and a struct, with the source fields before the destination ones (the kernel puts the destination first), but no handler: the branch answers EINVAL. This package defines its reply as empty; treat the command as reserved.',
      'UNMAP_ALL (bit 0 of IOAS_UNMAP flags) is defined and ignored: an "unmap all" request with `iova` and `length` 0 fails with ENOENT on the branch.',
      'ATTACH_PT is documented as returning the attached page-table id in `pt_id`, but the reply is empty and nothing is written back. The PASID flags of ATTACH_PT and DETACH_PT are defined and ignored.',
      'The branch never resets its iommufd state when a client disconnects: IOAS ids, mappings, the bound and attached state and iommufd mode itself survive into the next connection. A server must start each connection clean.',
      'At the branch head the replies to ALLOC_IOAS, BIND and IOAS_MAP are built in a stack buffer that the message cleanup then frees: the server sends garbage and aborts. The layouts in this document are the intended ones, confirmed with that defect fixed; error replies are unaffected.',
    ],
  },
  {
    title: 'Draft: beyond the pull request',
    paragraphs: [
      'Everything in this part is a draft of this package, off by default: the decoder knows the draft commands and flag only with the `drafts` option, and a peer may use a draft feature only when both sides advertise it under `iommufd` in VERSION. None of it is implemented by any server today.',
      'Fixed IOVAs. With `"fixed_iova": true` advertised by both sides, IOAS_MAP may set VFIO_USER_IOMMUFD_MAP_FIXED_IOVA (bit 2; bits 0 and 1 are taken by the branch\'s WRITEABLE and READABLE): `iova` of the request is then an input, the range must be free in the IOAS (EEXIST otherwise), and the reply echoes it. This mirrors the kernel\'s IOMMU_IOAS_MAP_FIXED_IOVA. It answers the question the server-chosen model leaves open: a client that must keep guest-physical addresses (a VMM without a vIOMMU) can still use IOAS objects, and the server knows from the flag that it must translate those addresses, because they are not its own.',
      'IOVA ranges. With `"iova_ranges": true`, IOMMUFD_IOAS_IOVA_RANGES (27) asks which IOVA windows an IOAS accepts and with which alignment, as the kernel\'s IOMMU_IOAS_IOVA_RANGES does. The request carries in `num_iovas` how many ranges fit in the reply; the reply sets `num_iovas` to the total and `out_iova_alignment`, and carries the ranges (`start`, `last` inclusive) only if they all fit, with `argsz` telling the size needed otherwise — the same two-step convention as DEVICE_GET_REGION_INFO.',
      'Dirty tracking. With `"dirty_tracking": true`, IOMMUFD_IOAS_SET_DIRTY_TRACKING (28) turns dirty-page tracking of an IOAS on (flag ENABLE) or off, and IOMMUFD_IOAS_GET_DIRTY_BITMAP (29) returns the bitmap of a range — `iova`, `length`, `page_size`, then ceil(ceil(length / page_size) / 64) × 8 bitmap bytes inline, bit i for page i — and clears it unless NO_CLEAR is set (read the bitmap without clearing right before an unmap). This mirrors the kernel\'s HWPT dirty tracking, per IOAS because vfio-user has no hardware page tables; it takes the place of DMA_LOGGING_START/STOP/REPORT for IOAS memory.',
      'The draft command numbers 27 to 29 follow the branch\'s last number; should upstream assign these numbers otherwise, the draft moves.',
    ],
  },
];
