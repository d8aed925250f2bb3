"""The run store (fiscal.store), stored runs (fiscal.runs, fiscal.replay), their attribution
(fiscal.attribution), comparisons (fiscal.compare), sweeps (fiscal.frontier) and files written
(fiscal.export, fiscal.workbook, fiscal._io)."""

from __future__ import annotations

__all__ = ["MESSAGES"]

MESSAGES: dict[str, tuple[str, str]] = {
    # -- how a run is named (fiscal.store.RunInfo.label)
    "store.run_label": (
        "#{id} {name} (v{version}, {status})",
        "#{id} {name} (phiên bản {version}, {status:word})",
    ),
    # -- opening a store
    "store.bad_url": (
        "store '{url}': not a database URL; use sqlite:///PATH, a file path, or "
        "postgresql+psycopg://USER:PASSWORD@HOST/DBNAME",
        "kho '{url}': không phải địa chỉ cơ sở dữ liệu; hãy dùng sqlite:///ĐƯỜNG_DẪN, một đường "
        "dẫn tệp, hoặc postgresql+psycopg://NGƯỜI_DÙNG:MẬT_KHẨU@MÁY_CHỦ/TÊN_CSDL",
    ),
    "store.dialect": (
        "store {store}: {dialect} is not supported; use SQLite (a file) or PostgreSQL",
        "kho {store}: không hỗ trợ {dialect}; hãy dùng SQLite (một tệp) hoặc PostgreSQL",
    ),
    "store.no_driver": (
        "store {store}: the PostgreSQL driver is not installed ({module}); pip install "
        "'fiscal[postgres]' (psycopg[binary])",
        "kho {store}: chưa cài trình điều khiển PostgreSQL ({module}); hãy cài "
        "'fiscal[postgres]' (psycopg[binary])",
    ),
    "store.is_folder": (
        "store {path}: is a folder; name a file, e.g. {example}",
        "kho {path}: là một thư mục; hãy chỉ một tệp, ví dụ {example}",
    ),
    "store.no_folder": (
        "store {path}: folder {folder} does not exist; create it or choose another path",
        "kho {path}: thư mục {folder} không tồn tại; hãy tạo thư mục hoặc chọn đường dẫn khác",
    ),
    "store.not_sqlite": (
        "store {path}: not a SQLite database (the file starts with {head!r}); is this the right "
        "file? Choose another store with --store or FISCAL_STORE, or move this file away",
        "kho {path}: không phải cơ sở dữ liệu SQLite (tệp bắt đầu bằng {head!r}); có đúng tệp "
        "không? Hãy chọn kho khác (FISCAL_STORE) hoặc chuyển tệp này đi nơi khác",
    ),
    "store.failed": (
        "store {store}: {doing} failed: {reason}; {advice}",
        "kho {store}: {doing:word} thất bại: {reason}; {advice}",
    ),
    "store.advice_damaged": (
        "the file is damaged or not a fiscal store; restore it from a backup (docs/store.md) or "
        "move it away to start a new store",
        "tệp bị hỏng hoặc không phải kho của fiscal; hãy khôi phục từ bản sao lưu "
        "(docs/store.md) hoặc chuyển tệp đi để bắt đầu kho mới",
    ),
    "store.advice_guard": (
        "the store's guard refused it; save a new version instead",
        "cơ chế bảo vệ của kho đã từ chối; hãy lưu một phiên bản mới",
    ),
    "store.advice_server": (
        "check that the server is running and the URL (user, password, host, database) is right",
        "hãy kiểm tra máy chủ đang chạy và địa chỉ (người dùng, mật khẩu, máy chủ, cơ sở dữ liệu) "
        "là đúng",
    ),
    "store.advice_busy": (
        "another process holds the store for too long; try again",
        "một tiến trình khác đang giữ kho quá lâu; hãy thử lại",
    ),
    "store.advice_docs": ("see docs/store.md", "xem docs/store.md"),
    "store.foreign": (
        "store {store}: this database holds tables that are not a fiscal store's ({shown}); "
        "fiscal will not write into it. Point --store or FISCAL_STORE at an empty database or a "
        "new file",
        "kho {store}: cơ sở dữ liệu này chứa các bảng không thuộc kho của fiscal ({shown}); "
        "fiscal sẽ không ghi vào đó. Hãy chỉ FISCAL_STORE tới một cơ sở dữ liệu trống hoặc một "
        "tệp mới",
    ),
    "store.newer": (
        "store {store} is at schema revision '{rev}', which this fiscal ({version}, schema "
        "'{head}') does not know: a newer fiscal wrote it. Upgrade fiscal to use this store "
        "(older versions never downgrade a store)",
        "kho {store} có lược đồ phiên bản '{rev}' mà bản fiscal này ({version}, lược đồ "
        "'{head}') không biết: một bản fiscal mới hơn đã ghi nó. Hãy nâng cấp fiscal để dùng kho "
        "này (bản cũ không bao giờ hạ cấp kho)",
    ),
    # -- saving and reading runs
    "store.no_author": (
        "a run needs an author (--author, or FISCAL_AUTHOR)",
        "lần chạy cần có người lập (tên của bạn)",
    ),
    "store.name_length": (
        "a run's name must be 1 to 200 characters (got {n})",
        "tên lần chạy phải dài từ 1 đến 200 ký tự (hiện có {n})",
    ),
    "store.name_length_bare": (
        "a run's name must be 1 to 200 characters",
        "tên lần chạy phải dài từ 1 đến 200 ký tự",
    ),
    "store.save_retries": (
        "store {store}: could not save after 8 attempts ({last})",
        "kho {store}: không lưu được sau 8 lần thử ({last})",
    ),
    "store.no_run": (
        "store {store}: no run '{ref}' (see `fiscal runs list`)",
        "kho {store}: không có lần chạy '{ref}'",
    ),
    "store.bad_status": (
        "status must be one of {statuses} (got '{status}')",
        "trạng thái phải là một trong {statuses} (nhận được '{status}')",
    ),
    "store.no_outputs": (
        "store {store}: run #{id} has no outputs; the store is damaged (restore it from a backup)",
        "kho {store}: lần chạy #{id} không có kết quả; kho bị hỏng (hãy khôi phục từ bản sao lưu)",
    ),
    "store.no_dataset": (
        "store {store}: no dataset {sha}…",
        "kho {store}: không có bộ dữ liệu {sha}…",
    ),
    "store.dataset_hash": (
        "store {store}: dataset {sha}… does not match its hash; the store is damaged (restore it "
        "from a backup)",
        "kho {store}: bộ dữ liệu {sha}… không khớp mã băm; kho bị hỏng (hãy khôi phục từ bản sao "
        "lưu)",
    ),
    "store.budget_damaged": (
        "store {store}: the transfer lines stored with run #{id} cannot be read; the "
        "store is damaged or was written by a newer fiscal (restore it from a backup, or upgrade "
        "fiscal)",
        "kho {store}: không đọc được các khoản bổ sung lưu cùng lần chạy #{id}; kho bị "
        "hỏng hoặc do phiên bản fiscal mới hơn ghi (hãy khôi phục từ bản sao lưu hoặc nâng cấp "
        "fiscal)",
    ),
    "store.no_envelope": (
        "the stored envelopes give no amount for province {code}",
        "tổng mức đã lưu không có số cho tỉnh {code}",
    ),
    # -- reviews and approvals
    "store.say_who": (
        "{action}: say who (--who, or FISCAL_AUTHOR)",
        "{action:word}: cần ghi tên người thực hiện",
    ),
    "store.wrong_status": (
        "cannot {action} run {run}: it is {status}, not {want}; {hint}",
        "không thể {action:word} lần chạy {run}: lần chạy đang ở trạng thái {status:word}, không "
        "phải {want:word}; {hint}",
    ),
    "store.hint_approved": (
        "an approved run is final; save a new version to change it",
        "lần chạy đã phê duyệt là bản cuối; hãy lưu một phiên bản mới để thay đổi",
    ),
    "store.hint_reviewed": (
        "it is already reviewed: approve it",
        "lần chạy đã được rà soát: hãy phê duyệt",
    ),
    "store.hint_draft": ("review it first", "hãy rà soát trước"),
    "store.own_run": (
        "cannot {action} run {run}: {who} is its author; another person must {action} it",
        "không thể {action:word} lần chạy {run}: {who} là người lập; người khác phải {action:word}",
    ),
    "store.changed": (
        "run {run} changed meanwhile; look again",
        "lần chạy {run} vừa bị thay đổi; hãy xem lại",
    ),
    "store.immutable": (
        "run {run} is approved and immutable; save a new version to change it",
        "lần chạy {run} đã được phê duyệt và không thể sửa; hãy lưu một phiên bản mới",
    ),
    "store.delete_status": (
        "run {run} is {status}; only drafts can be deleted",
        "lần chạy {run} đang ở trạng thái {status:word}; chỉ xoá được bản nháp",
    ),
    "store.delete_child": (
        "run {run} has a later version (#{child}); it stays",
        "lần chạy {run} đã có phiên bản sau (#{child}); không xoá được",
    ),
    "runs.same_twice": (
        "diff: give two different runs (got #{id} twice)",
        "so sánh: hãy chọn hai lần chạy khác nhau (lần chạy #{id} được chọn hai lần)",
    ),
    # -- attribution (fiscal.attribution)
    "attr.no_unit": (
        "attribution: no unit '{code}' in {year} (codes as in the table)",
        "phân tích nguyên nhân: không có đơn vị '{code}' năm {year} (mã như trong bảng)",
    ),
    "attr.different_meta": (
        "attribution compares runs over the same units and years: {a} has {key} = {va!r}, {b} "
        "has {vb!r}; compare them with `fiscal runs diff` instead",
        "phân tích nguyên nhân chỉ so sánh các lần chạy trên cùng các đơn vị và các năm: {a} có "
        "{key} = {va!r}, {b} có {vb!r}; hãy dùng so sánh thông thường",
    ),
    "attr.different_units": (
        "attribution needs the same units in both runs: only in {a}: {only_a}, only in {b}: "
        "{only_b}",
        "phân tích nguyên nhân cần cùng các đơn vị ở cả hai lần chạy: chỉ có ở {a}: {only_a}, "
        "chỉ có ở {b}: {only_b}",
    ),
    "attr.whole_million": (
        "attribution needs whole million VND amounts (a [rounding] unit of 1 or more); this "
        "table has fractions",
        "phân tích nguyên nhân cần số tiền là triệu đồng chẵn (đơn vị làm tròn từ 1 trở lên); "
        "bảng này có số lẻ",
    ),
    "attr.other_version": (
        "attribution: a run made by another fiscal version cannot be solved again with this "
        "one; compare them with `fiscal runs diff`",
        "phân tích nguyên nhân: lần chạy lập bằng phiên bản fiscal khác không giải lại được bằng "
        "phiên bản này; hãy so sánh hai lần chạy theo cách thông thường",
    ),
    "attr.no_order": (
        "attribution: every order of applying the changes passes through a combination that "
        "cannot be solved: {detail}",
        "phân tích nguyên nhân: mọi thứ tự áp dụng các thay đổi đều đi qua một tổ hợp không giải "
        "được: {detail}",
    ),
    "attr.internal": (
        "attribution: internal error, the ends do not match the stored runs",
        "phân tích nguyên nhân: lỗi nội bộ, hai đầu không khớp với các lần chạy đã lưu",
    ),
    # -- the attribution in words (Attribution.text, its notes, its combinations' outcomes)
    "attr.title": (
        "Attribution of the change from {a} to {b}",
        "Phân tích nguyên nhân thay đổi từ {a} sang {b}",
    ),
    "attr.same_inputs": (
        "the two runs have the same inputs",
        "hai lần chạy có cùng đầu vào",
    ),
    "attr.differs": ("differs", "khác nhau"),
    "attr.work": (
        "{n} combinations, {solves} solved, {cached} from the cache, {seconds:.1f} s; "
        "{used} of {total} orders used",
        "{n} tổ hợp: giải {solves}, lấy từ bộ nhớ đệm {cached}, {seconds:.1f} giây; dùng {used} "
        "trong {total} thứ tự",
    ),
    "attr.note": ("note: {note}", "ghi chú: {note}"),
    "attr.year_total": (
        "{year}: total change {change} bn = {parts}",
        "{year}: tổng thay đổi {change} tỷ đồng = {parts}",
    ),
    "attr.note_blocked": (
        "{n} combination(s) could not be solved ({which:parts}): the average is over the "
        "{used} of {total} orders that avoid them",
        "{n} tổ hợp không giải được ({which:parts}): bình quân trên {used} trong {total} thứ tự "
        "tránh được chúng",
    ),
    "attr.blocked_one": ("{combination}: {outcome}", "{combination}: {outcome}"),
    "attr.note_version": (
        "made by fiscal {a} and {b}, attributed with {current}: both runs were solved again; "
        "'fiscal version' is what the code change explains",
        "lập bằng fiscal {a} và {b}, phân tích bằng {current}: cả hai lần chạy được giải lại; "
        "“phiên bản fiscal” là phần do thay đổi mã nguồn giải thích",
    ),
    "attr.units_changed": (
        "units table {a}… → {b}…",
        "bảng đơn vị {a}… → {b}…",
    ),
    "attr.columns_changed": (" (columns {columns})", " (các cột {columns})"),
    "attr.envelopes_changed": (
        "each province's envelope (from another scenario) changed",
        "tổng mức của từng tỉnh (lấy từ kịch bản khác) đã đổi",
    ),
    "attr.stored": ("the stored run {label}", "lần chạy đã lưu {label}"),
    "attr.mix_infeasible": (
        "its rules cannot all hold",
        "các quy tắc của tổ hợp không thể cùng thoả mãn",
    ),
    # the outcome of solving a combination (the 'outcome' column)
    "attr.outcome.ok": ("ok", "giải được"),
    "attr.outcome.stored": ("stored", "đã lưu"),
    "attr.outcome.infeasible": ("infeasible", "không khả thi"),
    "attr.outcome.invalid": ("invalid", "không hợp lệ"),
    "attr.outcome.failed": ("failed", "bộ giải lỗi"),
    "attr.outcome_cached": ("{outcome} (cached)", "{outcome} (lấy từ bộ nhớ đệm)"),
    # -- comparisons (fiscal.compare)
    "compare.two": (
        "compare needs at least two scenarios (got {n})",
        "cần ít nhất hai kịch bản để so sánh (nhận được {n})",
    ),
    "compare.labels_count": (
        "compare: {n} label(s) for {m} scenarios; give one label per scenario",
        "so sánh: {n} nhãn cho {m} kịch bản; mỗi kịch bản cần một nhãn",
    ),
    "compare.labels_differ": (
        "compare: labels must differ (got {labels})",
        "so sánh: các nhãn phải khác nhau (nhận được {labels})",
    ),
    "compare.units": (
        "compare: '{label}' allocates to {n} units, '{ref}' to {m}{only}",
        "so sánh: “{label}” phân bổ cho {n} đơn vị, “{ref}” cho {m}{only}",
    ),
    "compare.units_more": (
        "{head}{more}; compare scenarios of the same level, province and dataset",
        "{head}{more}; hãy so sánh các kịch bản cùng cấp, cùng tỉnh và cùng bộ dữ liệu",
    ),
    "compare.units_only": (
        " (only in '{label}': {codes})",
        " (chỉ có ở “{label}”: {codes})",
    ),
    "compare.years": (
        "compare: '{label}' covers years {years}, '{ref}' covers {ref_years}; compare scenarios "
        "over the same years",
        "so sánh: “{label}” gồm các năm {years}, “{ref}” gồm {ref_years}; hãy so sánh các kịch "
        "bản trên cùng các năm",
    ),
    # -- sweeps (fiscal.frontier)
    "sweep.steps": (
        "a frontier needs at least 2 steps (got {steps})",
        "đường biên cần ít nhất 2 điểm (nhận được {steps})",
    ),
    "sweep.range_finite": (
        "the range of a frontier must be finite",
        "khoảng của đường biên phải hữu hạn",
    ),
    "sweep.no_values": (
        "a frontier needs at least one value",
        "đường biên cần ít nhất một giá trị",
    ),
    "sweep.values_finite": (
        "the values of a frontier must be finite numbers (got {values})",
        "các giá trị của đường biên phải là số hữu hạn (nhận được {values})",
    ),
    "sweep.bad_path": (
        "{source}: {detail}; give a dotted setting such as constraints.<name>.ratio, "
        "envelope.total or objective.weight",
        "{source}: {detail}; hãy chọn một thiết lập như constraints.<tên>.ratio, envelope.total "
        "hoặc objective.weight",
    ),
    "sweep.not_number": (
        "{path} is {current!r}, not a number: a frontier moves one number",
        "{path} là {current!r}, không phải một số: đường biên chỉ thay đổi một số",
    ),
    "sweep.infeasible_ends": (
        "goal-seek: the scenario is infeasible at both ends ({path} = {lo}, {hi})",
        "tìm giá trị mục tiêu: kịch bản không khả thi ở cả hai đầu ({path} = {lo}, {hi})",
    ),
    "sweep.not_crossed": (
        "goal-seek: the target {target:g} is not crossed between {path} = {lo:g} (metric "
        "{f_lo:.6g}) and {hi:g} (metric {f_hi:.6g}); widen the range",
        "tìm giá trị mục tiêu: không đạt được mục tiêu {target:g} trong khoảng {path} = {lo:g} "
        "(chỉ số {f_lo:.6g}) đến {hi:g} (chỉ số {f_hi:.6g}); hãy mở rộng khoảng",
    ),
    "sweep.no_feasible": (
        "goal-seek: no feasible point reaches the target {target:g}",
        "tìm giá trị mục tiêu: không có điểm khả thi nào đạt mục tiêu {target:g}",
    ),
    # -- writing files (fiscal.export, fiscal.workbook, fiscal._io)
    "export.unknown_format": (
        "{path}: unknown output format '.{fmt}'; use one of {formats}",
        "{path}: không có định dạng '.{fmt}'; hãy dùng một trong {formats}",
    ),
    "export.unknown_comparison_format": (
        "unknown comparison format '{fmt}'; use one of {formats}",
        "không có định dạng so sánh '{fmt}'; hãy dùng một trong {formats}",
    ),
    "export.unknown_table_format": (
        "unknown table format '{fmt}'; use one of {formats}",
        "không có định dạng bảng '{fmt}'; hãy dùng một trong {formats}",
    ),
    "export.workbook": (
        "cannot build the workbook of '{scenario}': {detail}",
        "không tạo được sổ Excel của “{scenario}”: {detail}",
    ),
    "export.map_png": (
        "map {k} ('{title}') is not a PNG image",
        "bản đồ {k} (“{title}”) không phải ảnh PNG",
    ),
    "export.comparison_workbook": (
        "cannot build the comparison workbook: {detail}",
        "không tạo được sổ Excel so sánh: {detail}",
    ),
    "export.tables_workbook": (
        "cannot build the workbook '{title}': {detail}",
        "không tạo được sổ Excel “{title}”: {detail}",
    ),
    "export.no_folder": (
        "cannot write {target}: folder {folder} does not exist; create it first",
        "không ghi được {target}: thư mục {folder} không tồn tại; hãy tạo thư mục trước",
    ),
    "export.cannot_write": (
        "cannot write {target}: {reason}",
        "không ghi được {target}: {reason}",
    ),
}
