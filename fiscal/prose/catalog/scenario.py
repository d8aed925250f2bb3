"""Scenario files and settings: reading (fiscal.scenario_files), validation (fiscal.scenario,
fiscal.scenario_errors), dotted paths (fiscal.dotted) and the app's shared links."""

from __future__ import annotations

__all__ = ["MESSAGES"]

MESSAGES: dict[str, tuple[str, str]] = {
    # -- reading files (fiscal.scenario_files, fiscal.scenario.load_scenario)
    "scenario.no_file": (
        "{path}: no such scenario file, and no shipped scenario of that name (`fiscal list` "
        "shows them)",
        "{path}: không có tệp kịch bản này, cũng không có kịch bản kèm theo nào mang tên đó",
    ),
    "scenario.bad_path": (
        "{source}: {what} '{ref!r}' is not a valid path",
        "{source}: {what} '{ref!r}' không phải là đường dẫn hợp lệ",
    ),
    "scenario.outside": (
        "{source}: {what} '{ref}' points outside the scenario folder ({base}); keep referenced "
        "files next to the scenario or in a subfolder",
        "{source}: {what} '{ref}' trỏ ra ngoài thư mục kịch bản ({base}); hãy để các tệp được "
        "tham chiếu cạnh kịch bản hoặc trong một thư mục con",
    ),
    "scenario.not_found": (
        "{source}: {what} '{ref}' not found (looked in {base})",
        "{source}: không tìm thấy {what} '{ref}' (đã tìm trong {base})",
    ),
    "scenario.unreadable": (
        "{path}: cannot read the scenario ({reason})",
        "{path}: không đọc được kịch bản ({reason})",
    ),
    "scenario.too_large": (
        "{source}: {size:,} bytes is too large for a scenario file ({limit:,} bytes max); a "
        "scenario is a few kB of settings",
        "{source}: {size:,} byte là quá lớn đối với một tệp kịch bản (tối đa {limit:,} byte); "
        "một kịch bản chỉ gồm vài kB thiết lập",
    ),
    "scenario.not_utf8": (
        "{source}: not UTF-8 text (byte 0x{byte:02x} at position {position}); save the scenario "
        "as UTF-8",
        "{source}: không phải văn bản UTF-8 (byte 0x{byte:02x} ở vị trí {position}); hãy lưu "
        "kịch bản dưới dạng UTF-8",
    ),
    "scenario.not_toml": (
        "{source}: not valid TOML: {detail}",
        "{source}: không phải TOML hợp lệ: {detail}",
    ),
    "scenario.too_deep": (
        "{source}: not a scenario: arrays or tables are nested too deeply to read",
        "{source}: không phải kịch bản: các mảng hoặc bảng lồng nhau quá sâu",
    ),
    "scenario.extends_type": (
        "{source}: scenario.extends must be a file name (got {ref!r})",
        "{source}: scenario.extends phải là tên một tệp (nhận được {ref!r})",
    ),
    "scenario.extends_cycle": (
        "{source}: 'extends' forms a cycle: {chain}; remove one of the links",
        "{source}: 'extends' tạo thành vòng lặp: {chain}; hãy bỏ một liên kết",
    ),
    "scenario.extends_deep": (
        "{source}: 'extends' chain is deeper than 20 files",
        "{source}: chuỗi 'extends' dài quá 20 tệp",
    ),
    "scenario.from_parent": (
        "{error}\n(these settings may come from '{parent}', which {file} extends: look there too)",
        "{error}\n(các thiết lập này có thể đến từ '{parent}', tệp mà {file} kế thừa: hãy xem cả "
        "tệp đó)",
    ),
    "text.two_forms": (
        "{source}keys '{first}' and '{second}' {where}are the same text '{key}' written in two "
        "Unicode forms (or with invisible characters); keep one of them",
        "{source}các khoá '{first}' và '{second}' {where}là cùng một chữ '{key}' viết theo hai "
        "dạng Unicode (hoặc có ký tự ẩn); hãy giữ một trong hai",
    ),
    "text.in_path": ("in {path} ", "trong {path} "),
    # -- validation (fiscal.scenario_errors)
    "scenario.invalid": ("{lines:newlines}", "{lines:newlines}"),
    "scenario.invalid_more": ("… and {n} more problem(s)", "… và {n} lỗi khác"),
    "scenario.unknown_key": (
        "{source}: unknown key '{path}'; allowed keys here: {allowed}",
        "{source}: khoá '{path}' không hợp lệ; các khoá được phép ở đây: {allowed}",
    ),
    "scenario.unknown_kind": (
        "{source}: {where}: unknown constraint kind {tag!r}; kinds: {kinds}",
        "{source}: {where}: không có loại quy tắc {tag!r}; các loại: {kinds}",
    ),
    "scenario.no_kind": (
        "{source}: {where}: every constraint needs kind = one of {kinds}",
        "{source}: {where}: mỗi quy tắc cần khai báo kind = một trong {kinds}",
    ),
    "scenario.missing": (
        "{source}: {where}: required key is missing",
        "{source}: {where}: thiếu khoá bắt buộc",
    ),
    "scenario.not_finite": (
        "{source}: {where}: must be a finite number{got}",
        "{source}: {where}: phải là số hữu hạn{got}",
    ),
    "scenario.value": ("{source}: {where}: {detail}{got}", "{source}: {where}: {detail}{got}"),
    "scenario.got": (" (got {value!r})", " (nhận được {value!r})"),
    "scenario.top_level": ("(top level)", "(cấp ngoài cùng)"),
    # pydantic's checks, by its error type (the English is pydantic's own message)
    "pydantic.greater_than_equal": ("{msg}", "phải lớn hơn hoặc bằng {ge:g}"),
    "pydantic.greater_than": ("{msg}", "phải lớn hơn {gt:g}"),
    "pydantic.less_than_equal": ("{msg}", "phải nhỏ hơn hoặc bằng {le:g}"),
    "pydantic.less_than": ("{msg}", "phải nhỏ hơn {lt:g}"),
    "pydantic.string_too_short": ("{msg}", "phải có ít nhất {min_length} ký tự"),
    "pydantic.string_too_long": ("{msg}", "chỉ được có tối đa {max_length} ký tự"),
    "pydantic.too_short": ("{msg}", "phải có ít nhất {min_length} phần tử"),
    "pydantic.too_long": ("{msg}", "chỉ được có tối đa {max_length} phần tử"),
    "pydantic.literal_error": ("{msg}", "phải là một trong: {expected_vi}"),
    "pydantic.string_type": ("{msg}", "phải là chuỗi ký tự"),
    "pydantic.bool_type": ("{msg}", "phải là true hoặc false"),
    "pydantic.int_type": ("{msg}", "phải là số nguyên"),
    "pydantic.float_type": ("{msg}", "phải là số"),
    "pydantic.list_type": ("{msg}", "phải là một danh sách"),
    "pydantic.dict_type": ("{msg}", "phải là một bảng"),
    "pydantic.model_type": ("{msg}", "phải là một bảng"),
    "pydantic.other": ("{msg}", "giá trị không hợp lệ ({msg})"),
    # the models' own checks (fiscal.scenario)
    "scenario.years": (
        "years must be consecutive and increasing (got {years})",
        "các năm phải liên tiếp và tăng dần (nhận được {years})",
    ),
    "scenario.commune_province": (
        "a commune-level scenario needs province = '<code>' (one province) or 'all'",
        "kịch bản cấp xã cần khai báo province = '<mã tỉnh>' (một tỉnh) hoặc 'all'",
    ),
    "scenario.province_level": (
        "province is only used with level = 'commune'",
        "province chỉ dùng với level = 'commune'",
    ),
    "scenario.envelope_basis": (
        "give exactly one of total (million VND), totals (one per year), baseline_factor (× the "
        "units' baseline), from_scenario or from_sharing = true (the mechanism's transfers) "
        "(got {given})",
        "hãy khai báo đúng một trong: total (triệu đồng), totals (mỗi năm một số), "
        "baseline_factor (× số năm gốc của các đơn vị), from_scenario hoặc from_sharing = true "
        "(số bổ sung cân đối theo cơ chế phân chia) (nhận được {given})",
    ),
    "scenario.indicators_twice": (
        "indicator(s) {dupes} appear twice; one criterion per indicator",
        "các chỉ tiêu {dupes} xuất hiện hai lần; mỗi chỉ tiêu chỉ một tiêu chí",
    ),
    "scenario.group_bounds": (
        "give min_share, max_share or both",
        "hãy khai báo min_share, max_share hoặc cả hai",
    ),
    "scenario.group_order": (
        "min_share {low} is above max_share {high}",
        "min_share {low} lớn hơn max_share {high}",
    ),
    "scenario.group_scope": (
        "choose the group with where = {{column = value}} or units = [codes]",
        "hãy chọn nhóm bằng where = {{cột = giá trị}} hoặc units = [các mã]",
    ),
    "scenario.rounding_whole": (
        "must be a whole number of million VND, 1 or more; budget tables are in whole million "
        "VND (triệu đồng), and whole units keep every total exact",
        "phải là số nguyên triệu đồng, từ 1 trở lên; bảng ngân sách tính bằng triệu đồng chẵn, "
        "và đơn vị chẵn giữ mọi tổng chính xác",
    ),
    "scenario.totals_years": (
        "envelope.totals has {n} values for {years} years",
        "envelope.totals có {n} giá trị cho {years} năm",
    ),
    "scenario.sector_shares": (
        "sectors' need_share must sum to 1 (got {total:g})",
        "tổng need_share của các lĩnh vực phải bằng 1 (nhận được {total:g})",
    ),
    "scenario.sector_names": (
        "sector names must be unique (got {names})",
        "tên các lĩnh vực không được trùng nhau (nhận được {names})",
    ),
    "scenario.constraint_names": (
        "constraint name(s) {dupes} are used twice; give each constraint its own name",
        "tên quy tắc {dupes} bị dùng hai lần; mỗi quy tắc cần một tên riêng",
    ),
    "scenario.per_year_count": (
        "constraints[{i}] ('{name}'): {attr} has {n} values for {years} years; give one value "
        "per year, or a single value for every year",
        "constraints[{i}] (“{name}”): {attr} có {n} giá trị cho {years} năm; hãy ghi mỗi năm "
        "một giá trị, hoặc một giá trị chung cho mọi năm",
    ),
    "scenario.unknown_sector": (
        "constraints[{i}] ('{name}') names sector '{sector}', which is not in [[sectors]] "
        "({known})",
        "constraints[{i}] (“{name}”) nêu lĩnh vực '{sector}' nhưng lĩnh vực này không có trong "
        "[[sectors]] ({known:word})",
    ),
    "scenario.gap_bounds": (
        "constraints[{i}] ('{name}'): max_of_gap is below min_of_gap",
        "constraints[{i}] (“{name}”): max_of_gap nhỏ hơn min_of_gap",
    ),
    "scenario.earmarks_total": (
        "sector earmarks add up to {total:.0%} of the envelope, above 100 %",
        "các phần dành riêng cho lĩnh vực cộng lại bằng {total:.0%} tổng mức, vượt 100%",
    ),
    "scenario.growth_from_scenario": (
        "growth has no effect here: the envelopes come from '{parent}' (from_scenario), which "
        "sets their growth; change envelope.growth there",
        "growth không có tác dụng ở đây: tổng mức lấy từ '{parent}' (from_scenario), kịch bản "
        "quyết định mức tăng của chúng; hãy sửa envelope.growth ở đó",
    ),
    "scenario.growth_totals": (
        "growth has no effect here: totals gives every year's envelope; change the totals instead",
        "growth không có tác dụng ở đây: totals đã cho tổng mức của từng năm; hãy sửa các số đó",
    ),
    "scenario.growth_from_sharing": (
        "growth has no effect here: from_sharing takes the envelope from the mechanism's "
        "balancing transfers; remove growth",
        "growth không có tác dụng ở đây: from_sharing lấy tổng mức từ số bổ sung cân đối theo cơ "
        "chế phân chia; hãy bỏ growth",
    ),
    "scenario.with_value": (
        "{source} (with {path} = {value!r})",
        "{source} (với {path} = {value:setting})",
    ),
    "scenario.with_values": (
        "{source} (with {settings:setting})",
        "{source} (với {settings:setting})",
    ),
    # -- settings by dotted path (fiscal.dotted)
    "setting.not_table": (
        "setting '{path}': '{where}' is not a table",
        "thiết lập '{path}': '{where}' không phải là một bảng",
    ),
    "setting.missing": (
        "setting '{path}' does not exist ('{where}' not found)",
        "thiết lập '{path}' không tồn tại (không có '{where}')",
    ),
    "setting.index": (
        "'{where}': index {index} is out of range (the list has {n})",
        "'{where}': chỉ số {index} nằm ngoài phạm vi (danh sách có {n} phần tử)",
    ),
    "setting.no_entry": (
        "'{where}': no entry named '{part}' (entries: {names})",
        "'{where}': không có mục tên '{part}' (các mục: {names})",
    ),
    # -- the app's shared links (fiscal_app.edits)
    "link.not_setting": (
        "shared link: '{path}' is not a scenario setting; settings start with one of {tops}",
        "đường dẫn chia sẻ: '{path}' không phải là thiết lập của kịch bản; thiết lập bắt đầu "
        "bằng một trong {tops}",
    ),
    "link.too_long": (
        "shared link: the edits are {n:,} characters long, above the limit of {limit:,}; "
        "download the scenario as TOML and share the file instead",
        "đường dẫn chia sẻ: phần thay đổi dài {n:,} ký tự, vượt giới hạn {limit:,}; hãy tải kịch "
        "bản dưới dạng TOML và chia sẻ tệp",
    ),
    "link.bad_characters": (
        "shared link: the edits contain characters a link never has; copy the whole link again",
        "đường dẫn chia sẻ: phần thay đổi chứa ký tự không thể có trong đường dẫn; hãy sao chép "
        "lại toàn bộ đường dẫn",
    ),
    "link.too_big": (
        "shared link: the edits unpack to more than {limit:,} bytes; this is not a link from "
        "this app",
        "đường dẫn chia sẻ: phần thay đổi giải nén ra hơn {limit:,} byte; đây không phải đường "
        "dẫn của ứng dụng này",
    ),
    "link.unreadable": (
        "shared link: the edits cannot be read (the link is cut short or altered); copy the "
        "whole link again",
        "đường dẫn chia sẻ: không đọc được phần thay đổi (đường dẫn bị cắt hoặc bị sửa); hãy sao "
        "chép lại toàn bộ đường dẫn",
    ),
    "link.not_table": (
        "shared link: the edits must be a table of settings (got {kind})",
        "đường dẫn chia sẻ: phần thay đổi phải là một bảng thiết lập (nhận được {kind})",
    ),
}
