"""Labels of the run store in the app (Save on Allocate, the History page), in both languages.

Merged into :data:`fiscal_app.i18n.EN` and ``VI`` (kept apart so that the store's labels live in
one place).
"""

from __future__ import annotations

EN: dict[str, str] = {
    "nav.history": "History",
    # save on Allocate
    "save.title": "Save this run to the history",
    "save.caption": "Kept in the run store ({store}) with the scenario as resolved, the unit "
    "table and the results: it can be shown, compared and approved later, also from the "
    "command line (`fiscal runs list`).",
    "save.name": "Name",
    "save.note": "Note",
    "save.author": "Your name",
    "save.parent": "New version of",
    "save.parent_none": "(a new run)",
    "save.button": "Save run",
    "save.done": "Saved as run #{id} ({status}, version {version}). See it on the History page.",
    "save.failed": "The run was not saved: {error}",
    "save.need_author": "Give your name: every saved run has an author.",
    # history page
    "history.title": "History",
    "history.caption": "Saved runs: show one, compare two, see why they differ, and move a run "
    "from draft to reviewed to approved. Money in billions of VND (tỷ đồng).",
    "history.store": "Run store: {store}",
    "history.store_error": "The run store cannot be opened: {error}",
    "history.empty": "No saved runs yet. Save one on the Allocate page (or `fiscal solve FILE "
    "--save`).",
    "history.runs": "Saved runs",
    "history.col.id": "Run",
    "history.col.created": "Saved (UTC)",
    "history.col.status": "Status",
    "history.col.version": "Version",
    "history.col.author": "Author",
    "history.col.name": "Name",
    "history.col.total": "Total (bn VND)",
    "history.col.objective": "Objective",
    "history.col.note": "Note",
    "history.col.when": "When (UTC)",
    "history.col.who": "Who",
    "history.col.action": "Action",
    "history.col.detail": "Detail",
    "history.status.draft": "draft",
    "history.status.reviewed": "reviewed",
    "history.status.approved": "approved",
    "history.action.saved": "saved",
    "history.action.renamed": "renamed",
    "history.action.noted": "note changed",
    "history.action.review withdrawn": "review withdrawn (the run changed after it)",
    "history.action.reviewed": "reviewed",
    "history.action.approved": "approved",
    "history.tab.show": "Show a run",
    "history.tab.diff": "Compare two runs",
    "history.tab.attribute": "Why it changed",
    "history.tab.approve": "Review and approve",
    "history.pick": "Run",
    "history.record": "Run #{id} · {name} · version {version} · {status}",
    "history.saved_by": "Saved {when} by {who}.",
    "history.reviewed_by": "Reviewed {when} by {who}.",
    "history.approved_by": "Approved {when} by {who}: this run can no longer change.",
    "history.parent": "Version {version}, built on run #{parent}.",
    "history.file": "Scenario file when saved: {file}",
    "history.file_none": "Scenario edited in the app or uploaded (no file).",
    "history.data": "Unit table SHA-256 {sha}",
    "history.trail": "Trail",
    "history.pick_a": "Earlier run (reference)",
    "history.pick_b": "Later run",
    "history.same": "Choose two different runs.",
    "history.attr_caption": "Each unit's change from the earlier to the later run, split into "
    "what changed: data, envelope, norms (need criteria, rates, coefficients), rules, objective, "
    "method. Each combination of the changes is solved once (2^k solves, kept in the store) and "
    "each change gets its average effect over every order of applying them (Shapley). Amounts "
    "are settled to whole million VND so that the parts add up to the change exactly.",
    "history.attr_button": "Explain the change",
    "history.attr_progress": "Solving combination {done} of {total}…",
    "history.attr_failed": "The change cannot be attributed: {error}",
    "history.attr_none": "The two runs have the same inputs: nothing to attribute.",
    "history.attr_summary": "{factors} differ. {solves} combination(s) solved, {cached} from the "
    "store; {used} of {total} orders of the changes used.",
    "history.attr_blocked": "{n} combination(s) could not be solved ({names}): the average is "
    "over the {used} of {total} orders of the changes that avoid them.",
    "history.attr_version": "The runs were made by another version of fiscal: both were solved "
    "again, and 'fiscal version' is the part the code change explains.",
    "history.attr_chart": "Contributions to each unit's change (bn VND); ◆ the total change",
    "history.attr_words": "In words",
    "history.attr_table": "By unit (bn VND)",
    "history.attr_total": "All units: change {change}; {parts}",
    "history.attr_axis": "Contribution (bn VND)",
    "history.factor": "Factor",
    "history.change": "Change",
    "history.download_csv": "Download the attribution (CSV)",
    "history.download_xlsx": "Download the attribution (XLSX)",
    "history.who": "Your name",
    "history.note": "Note",
    "history.review": "Mark as reviewed",
    "history.approve": "Approve",
    "history.reviewed_ok": "Run #{id} is reviewed.",
    "history.approved_ok": "Run #{id} is approved.",
    "history.own_run": "{who} is the author of this run: another person must review or approve it.",
    "history.need_who": "Give your name.",
    "history.is_draft": "This run is a draft: it can be reviewed by someone other than its author.",
    "history.is_reviewed": "This run is reviewed: it can be approved by someone other than its "
    "author.",
    "history.is_approved": "This run is approved and immutable. To change it, save a new version "
    "(on Allocate, 'New version of').",
    "history.pack": "Download the approval pack (ZIP: workbook, scenario, unit table, provenance, "
    "attribution against the previous approved version)",
    "history.pack_none": "No earlier approved version of this run: the pack has no attribution.",
    "history.action_failed": "Not done: {error}",
}

VI: dict[str, str] = {
    "nav.history": "Lịch sử",
    "save.title": "Lưu lần chạy này vào lịch sử",
    "save.caption": "Lưu trong kho lần chạy ({store}) cùng kịch bản đã hợp nhất, bảng đơn vị và "
    "kết quả: có thể xem, so sánh và phê duyệt sau, cả từ dòng lệnh (`fiscal runs list`).",
    "save.name": "Tên",
    "save.note": "Ghi chú",
    "save.author": "Tên của bạn",
    "save.parent": "Phiên bản mới của",
    "save.parent_none": "(lần chạy mới)",
    "save.button": "Lưu lần chạy",
    "save.done": "Đã lưu thành lần chạy #{id} ({status}, phiên bản {version}). Xem ở trang Lịch sử.",
    "save.failed": "Chưa lưu được: {error}",
    "save.need_author": "Hãy nhập tên của bạn: mỗi lần chạy được lưu đều có tác giả.",
    "history.title": "Lịch sử",
    "history.caption": "Các lần chạy đã lưu: xem một lần chạy, so sánh hai lần, xem vì sao chúng "
    "khác nhau, và chuyển một lần chạy từ bản nháp sang đã rà soát rồi đã phê duyệt. Số tiền "
    "tính bằng tỷ đồng.",
    "history.store": "Kho lần chạy: {store}",
    "history.store_error": "Không mở được kho lần chạy: {error}",
    "history.empty": "Chưa có lần chạy nào được lưu. Hãy lưu ở trang Phân bổ (hoặc `fiscal solve "
    "FILE --save`).",
    "history.runs": "Các lần chạy đã lưu",
    "history.col.id": "Lần chạy",
    "history.col.created": "Lưu lúc (UTC)",
    "history.col.status": "Trạng thái",
    "history.col.version": "Phiên bản",
    "history.col.author": "Tác giả",
    "history.col.name": "Tên",
    "history.col.total": "Tổng (tỷ đồng)",
    "history.col.objective": "Mục tiêu",
    "history.col.note": "Ghi chú",
    "history.col.when": "Lúc (UTC)",
    "history.col.who": "Người",
    "history.col.action": "Thao tác",
    "history.col.detail": "Chi tiết",
    "history.status.draft": "bản nháp",
    "history.status.reviewed": "đã rà soát",
    "history.status.approved": "đã phê duyệt",
    "history.action.saved": "lưu",
    "history.action.renamed": "đổi tên",
    "history.action.noted": "sửa ghi chú",
    "history.action.review withdrawn": "rút lại rà soát (lần chạy đã thay đổi sau đó)",
    "history.action.reviewed": "rà soát",
    "history.action.approved": "phê duyệt",
    "history.tab.show": "Xem một lần chạy",
    "history.tab.diff": "So sánh hai lần chạy",
    "history.tab.attribute": "Vì sao thay đổi",
    "history.tab.approve": "Rà soát và phê duyệt",
    "history.pick": "Lần chạy",
    "history.record": "Lần chạy #{id} · {name} · phiên bản {version} · {status}",
    "history.saved_by": "Lưu lúc {when} bởi {who}.",
    "history.reviewed_by": "Rà soát lúc {when} bởi {who}.",
    "history.approved_by": "Phê duyệt lúc {when} bởi {who}: lần chạy này không thể thay đổi nữa.",
    "history.parent": "Phiên bản {version}, dựa trên lần chạy #{parent}.",
    "history.file": "Tệp kịch bản khi lưu: {file}",
    "history.file_none": "Kịch bản được sửa trong ứng dụng hoặc tải lên (không có tệp).",
    "history.data": "SHA-256 của bảng đơn vị {sha}",
    "history.trail": "Nhật ký",
    "history.pick_a": "Lần chạy trước (tham chiếu)",
    "history.pick_b": "Lần chạy sau",
    "history.same": "Hãy chọn hai lần chạy khác nhau.",
    "history.attr_caption": "Thay đổi của từng đơn vị từ lần chạy trước sang lần chạy sau, tách "
    "theo phần đã thay đổi: dữ liệu, tổng mức, định mức (tiêu chí, mức chi, hệ số), quy tắc, mục "
    "tiêu, phương pháp. Mỗi tổ hợp các thay đổi được giải một lần (2^k lần giải, lưu trong kho) "
    "và mỗi thay đổi nhận tác động trung bình trên mọi thứ tự áp dụng (giá trị Shapley). Số tiền "
    "được làm tròn đến triệu đồng sao cho các phần cộng lại đúng bằng thay đổi.",
    "history.attr_button": "Giải thích thay đổi",
    "history.attr_progress": "Đang giải tổ hợp {done}/{total}…",
    "history.attr_failed": "Không thể phân tích thay đổi: {error}",
    "history.attr_none": "Hai lần chạy có cùng đầu vào: không có gì để phân tích.",
    "history.attr_summary": "Khác nhau: {factors}. Đã giải {solves} tổ hợp, {cached} lấy từ kho; "
    "dùng {used} trên {total} thứ tự áp dụng thay đổi.",
    "history.attr_blocked": "{n} tổ hợp không giải được ({names}): trung bình được tính trên {used} "
    "trên {total} thứ tự tránh được chúng.",
    "history.attr_version": "Các lần chạy được tạo bởi phiên bản fiscal khác: cả hai đã được giải "
    "lại, và 'phiên bản fiscal' là phần do thay đổi mã nguồn gây ra.",
    "history.attr_chart": "Đóng góp vào thay đổi của từng đơn vị (tỷ đồng); ◆ tổng thay đổi",
    "history.attr_words": "Bằng lời",
    "history.attr_table": "Theo đơn vị (tỷ đồng)",
    "history.attr_total": "Tất cả đơn vị: thay đổi {change}; {parts}",
    "history.attr_axis": "Đóng góp (tỷ đồng)",
    "history.factor": "Yếu tố",
    "history.change": "Thay đổi",
    "history.download_csv": "Tải phân tích thay đổi (CSV)",
    "history.download_xlsx": "Tải phân tích thay đổi (XLSX)",
    "history.who": "Tên của bạn",
    "history.note": "Ghi chú",
    "history.review": "Đánh dấu đã rà soát",
    "history.approve": "Phê duyệt",
    "history.reviewed_ok": "Lần chạy #{id} đã được rà soát.",
    "history.approved_ok": "Lần chạy #{id} đã được phê duyệt.",
    "history.own_run": "{who} là tác giả của lần chạy này: người khác phải rà soát hoặc phê duyệt.",
    "history.need_who": "Hãy nhập tên của bạn.",
    "history.is_draft": "Lần chạy này là bản nháp: người khác (không phải tác giả) có thể rà soát.",
    "history.is_reviewed": "Lần chạy này đã được rà soát: người khác (không phải tác giả) có thể "
    "phê duyệt.",
    "history.is_approved": "Lần chạy này đã được phê duyệt và không thể thay đổi. Để thay đổi, hãy "
    "lưu một phiên bản mới (ở trang Phân bổ, 'Phiên bản mới của').",
    "history.pack": "Tải hồ sơ phê duyệt (ZIP: bảng tính, kịch bản, bảng đơn vị, nguồn gốc, phân "
    "tích thay đổi so với phiên bản được phê duyệt trước)",
    "history.pack_none": "Chưa có phiên bản được phê duyệt nào trước lần chạy này: hồ sơ không có "
    "phân tích thay đổi.",
    "history.action_failed": "Chưa thực hiện được: {error}",
}
