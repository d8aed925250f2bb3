"""Reading and checking a unit table: the file (fiscal.tablefile), the checks (fiscal.checks),
the bundled data and the coefficient keys (fiscal.data)."""

from __future__ import annotations

__all__ = ["MESSAGES"]

MESSAGES: dict[str, tuple[str, str]] = {
    # -- where a problem is (fiscal.checks._Ctx.where, fiscal.data.UnitTable.locate)
    "data.where": ("{source}, {row_word} {row}", "{source}, {row_word:word} {row}"),
    "data.where_unit": (
        "{source}, {row_word} {row} (unit {code})",
        "{source}, {row_word:word} {row} (đơn vị {code})",
    ),
    "data.at_rows": (
        "{file}, {rows_word} {rows}{ellipsis} ({units_word} {codes}{more})",
        "{file}, {rows_word:word} {rows}{ellipsis} (đơn vị {codes}{more})",
    ),
    "data.at_units": ("{file}, {units_word} {codes}{more}", "{file}, đơn vị {codes}{more}"),
    "data.and_more": (" and {n} more", " và {n} đơn vị khác"),
    # -- the table's problems, listed together (fiscal.checks.validate_units)
    "data.problems": (
        "{source}: {n} problem(s) in the unit table:\n  {problems:lines}{more}",
        "{source}: bảng đơn vị có {n} lỗi:\n  {problems:lines}{more}",
    ),
    "data.problems_more": ("\n  … and {n} more", "\n  … và {n} lỗi khác"),
    "data.hint": ("; {hint}", "; {hint:word}"),
    # -- the checks (fiscal.checks)
    "data.no_units": (
        "{source}: the table has a header but no units; add one row per unit",
        "{source}: bảng có dòng tiêu đề nhưng không có đơn vị nào; hãy thêm mỗi đơn vị một dòng",
    ),
    "data.missing_column": (
        "{source}: missing required column '{column}' ({description}, {unit})",
        "{source}: thiếu cột bắt buộc {column:column} ({unit:word})",
    ),
    "data.missing_column_close": (
        "{source}: missing required column '{column}' ({description}, {unit}) (did you mean to "
        "name '{close}' '{column}'?)",
        "{source}: thiếu cột bắt buộc {column:column} ({unit:word}) (phải chăng cột '{close}' "
        "cần đặt tên là '{column}'?)",
    ),
    "data.duplicate_columns": (
        "{source}: column(s) {columns} appear more than once; keep one of each",
        "{source}: các cột {columns} xuất hiện nhiều lần; mỗi cột chỉ giữ một",
    ),
    "data.missing_value": (
        "{where}, column '{column}': value is missing; this column is required",
        "{where}, cột {column:column}: thiếu giá trị; đây là cột bắt buộc",
    ),
    "data.missing_value_said": (
        "{where}, column '{column}': value is missing ('{value}' counts as missing); this column "
        "is required",
        "{where}, cột {column:column}: thiếu giá trị ('{value}' được coi là trống); đây là cột "
        "bắt buộc",
    ),
    "data.not_number": (
        "{where}, column '{column}': '{value}' is not a number ({unit}); write plain digits with "
        "'.' as the decimal point and no thousands separators",
        "{where}, cột {column:column}: '{value}' không phải là số ({unit:word}); trong tệp hãy "
        "viết số chỉ gồm chữ số, dấu '.' ngăn phần thập phân và không có dấu phân cách hàng nghìn",
    ),
    "data.not_finite": (
        "{where}, column '{column}': {value} is not a finite number",
        "{where}, cột {column:column}: {value} không phải là số hữu hạn",
    ),
    "data.below_min": (
        "{where}, column '{column}': must be ≥ {minimum:g} (got {value:g}){hint}",
        "{where}, cột {column:column}: phải ≥ {minimum:g} (nhận được {value:g}){hint}",
    ),
    "data.not_positive": (
        "{where}, column '{column}': must be above 0 (got 0){hint}",
        "{where}, cột {column:column}: phải lớn hơn 0 (nhận được 0){hint}",
    ),
    "data.above_max": (
        "{where}, column '{column}': must be ≤ {maximum:g} (got {value:g}){hint}",
        "{where}, cột {column:column}: phải ≤ {maximum:g} (nhận được {value:g}){hint}",
    ),
    "data.not_whole": (
        "{where}, column '{column}': must be a whole number (got {value:g})",
        "{where}, cột {column:column}: phải là số nguyên (nhận được {value:g})",
    ),
    "data.duplicate_code": (
        "{source}: code '{code}' appears on {rows_word} {rows}; codes must be unique",
        "{source}: mã '{code}' xuất hiện ở {rows_word:word} {rows}; mỗi mã chỉ được dùng một lần",
    ),
    "data.unknown_parent": (
        "{where}, column 'parent': unknown province '{parent}'; parents must be province codes "
        "such as {examples}",
        "{where}, cột {column:column}: không có tỉnh mã '{parent}'; cột này phải là mã tỉnh, ví "
        "dụ {examples}",
    ),
    "data.predecessor_twice": (
        "{where}, column 'predecessors': '{old}' is already a predecessor of unit {code} "
        "({row_word} {row}); an old unit can merge into only one new unit",
        "{where}, cột {column:column}: '{old}' đã là đơn vị cũ của đơn vị {code} "
        "({row_word:word} {row}); một đơn vị cũ chỉ được hợp nhất vào một đơn vị mới",
    ),
    "data.category_spellings": (
        "{where}, column '{column}': '{other}' and '{common}' are one value spelt two ways (case, "
        "width, spacing or diacritics); coefficients, rules and groups would treat them as two: "
        "write '{common}' (or correct the other rows) so that each {column} has one spelling",
        "{where}, cột {column:column}: '{other}' và '{common}' là một giá trị viết theo hai cách "
        "(khác chữ hoa/thường, độ rộng, khoảng trắng hoặc dấu); hệ số, quy tắc và nhóm sẽ coi "
        "chúng là hai giá trị khác nhau: hãy viết '{common}' (hoặc sửa các dòng kia) để mỗi giá "
        "trị chỉ có một cách viết",
    ),
    "data.duplicate_name": (
        "{source}, {rows_word} {first} and {second}{others}, column 'name': units {code1} and "
        "{code2}{inside} are both named {what}; one name for two codes in one province is one "
        "unit entered twice or a wrong name: remove the extra row or correct the name",
        "{source}, {rows_word:word} {first} và {second}{others}, cột {column:column}: đơn vị "
        "{code1} và {code2}{inside} cùng có tên {what}; một tên cho hai mã trong cùng một tỉnh là "
        "một đơn vị nhập hai lần hoặc tên sai: hãy xoá dòng thừa hoặc sửa tên",
    ),
    "data.duplicate_name_others": (" and {n} more", " và {n} dòng khác"),
    "data.duplicate_name_inside": (" of province '{province}'", " của tỉnh '{province}'"),
    "data.names_alike": (
        "{names} (differing only in case, width or spacing)",
        "{names} (chỉ khác chữ hoa/thường, độ rộng hoặc khoảng trắng)",
    ),
    "data.predecessor_spelling": (
        "{where}, column 'predecessors': '{old}' is spelt differently from the province "
        "'{meant}' (NQ 202/2025/QH15); write '{meant}'",
        "{where}, cột {column:column}: '{old}' viết khác với tên tỉnh '{meant}' "
        "(NQ 202/2025/QH15); hãy viết '{meant}'",
    ),
    "data.eliminated_mismatch": (
        "{where}, column 'eliminated_provinces': {value:g} does not match the {n} predecessor(s) "
        "listed (expected {expected}); correct one of the two, or leave eliminated_provinces "
        "blank to derive it",
        "{where}, cột {column:column}: {value:g} không khớp với {n} đơn vị cũ đã liệt kê (phải là "
        "{expected}); hãy sửa một trong hai, hoặc để trống eliminated_provinces để tự tính",
    ),
    "data.revenue_kinds_sum": (
        "{where}: the revenue kinds ({kinds}) sum to {parts:,.0f} but revenue_on_territory is "
        "{total:,.0f} million VND; they must add up",
        "{where}: tổng các khoản thu ({kinds}) là {parts:,.0f} nhưng tổng thu NSNN trên địa bàn "
        "(revenue_on_territory) là {total:,.0f} triệu đồng; hai số phải khớp nhau",
    ),
    "data.own_revenue_sum": (
        "{where}: own_revenue is {own:,.0f} but revenue_local + revenue_shared (B + C) is "
        "{bc:,.0f} million VND; own revenue is B + C",
        "{where}: thu ngân sách địa phương được hưởng (own_revenue) là {own:,.0f} nhưng "
        "revenue_local + revenue_shared (B + C) là {bc:,.0f} triệu đồng; own_revenue phải bằng "
        "B + C",
    ),
    # -- the file (fiscal.tablefile)
    "file.missing": ("{path}: no such file", "{path}: không có tệp này"),
    "file.too_big": (
        "{name}: file is {size:,} bytes ({mb:.1f} MB), above the {limit:.0f} MB limit for unit "
        "tables; a table of every commune is under 1 MB, so check the file",
        "{name}: tệp có {size:,} byte ({mb:.1f} MB), vượt giới hạn {limit:.0f} MB của bảng đơn "
        "vị; bảng của toàn bộ các xã chưa tới 1 MB, hãy kiểm tra lại tệp",
    ),
    "file.type": (
        "{name}: unsupported file type '{suffix}'; use .csv or .xlsx",
        "{name}: không hỗ trợ loại tệp '{suffix}'; hãy dùng .csv hoặc .xlsx",
    ),
    "file.not_utf8": (
        "{name}: not UTF-8 text (byte 0x{byte:02x} at position {position}); save the file as "
        "'CSV UTF-8' and try again",
        "{name}: không phải văn bản UTF-8 (byte 0x{byte:02x} ở vị trí {position}); hãy lưu tệp "
        "dưới dạng 'CSV UTF-8' rồi tải lại",
    ),
    "file.empty": (
        "{name}: the file is empty; it needs a header row and one row per unit",
        "{name}: tệp trống; tệp cần một dòng tiêu đề và mỗi đơn vị một dòng",
    ),
    "file.extra_fields": (
        "{name}, line {line}: {n} fields but the header has {header}; check for an extra comma "
        "(a decimal comma or thousands separator?) or quote text that contains commas",
        "{name}, dòng {line}: có {n} trường nhưng dòng tiêu đề có {header}; hãy kiểm tra dấu "
        "phẩy thừa (dấu phẩy thập phân hay dấu phân cách hàng nghìn?) hoặc đặt trong ngoặc kép "
        "những ô chữ có dấu phẩy",
    ),
    "file.bad_csv": (
        "{name}, line {line}: not a readable CSV table ({detail}); check the quotes",
        "{name}, dòng {line}: không đọc được bảng CSV ({detail}); hãy kiểm tra các dấu ngoặc kép",
    ),
    "file.no_header": (
        "{name}: the file has no header row (only blank lines or commas); it needs a header row "
        "and one row per unit",
        "{name}: tệp không có dòng tiêu đề (chỉ có dòng trống hoặc dấu phẩy); tệp cần một dòng "
        "tiêu đề và mỗi đơn vị một dòng",
    ),
    "file.csv_formula": (
        "{name}, line {line}, column '{column}': '{value}' starts with '=' (a spreadsheet "
        "formula); unit tables hold values only",
        "{name}, dòng {line}, cột {column:column}: '{value}' bắt đầu bằng '=' (một công thức "
        "bảng tính); bảng đơn vị chỉ chứa giá trị",
    ),
    "file.no_defusedxml": (
        "refusing to read XLSX without defusedxml installed",
        "không đọc tệp XLSX khi chưa cài defusedxml",
    ),
    "file.not_zip": (
        "{name}: not a valid .xlsx file (it is not a zip archive)",
        "{name}: không phải tệp .xlsx hợp lệ (không phải tệp nén zip)",
    ),
    "file.unpacks_big": (
        "{name}: unpacks to {mb:.0f} MB, above the {limit:.0f} MB limit; it is not a plain unit "
        "table",
        "{name}: giải nén ra {mb:.0f} MB, vượt giới hạn {limit:.0f} MB; đây không phải một bảng "
        "đơn vị thông thường",
    ),
    "file.xml_entities": (
        "{name}: refused: the workbook's XML declares entities or a DTD ({kind}), which a unit "
        "table never needs (an XML bomb or external-entity attack); save a fresh copy from Excel "
        "or LibreOffice",
        "{name}: bị từ chối: XML của sổ tính khai báo thực thể hoặc DTD ({kind}), điều mà bảng "
        "đơn vị không bao giờ cần (có thể là tấn công XML); hãy lưu một bản mới từ Excel hoặc "
        "LibreOffice",
    ),
    "file.unreadable_xlsx": (
        "{name}: cannot read the workbook ({kind}: {detail})",
        "{name}: không đọc được sổ tính ({kind}: {detail})",
    ),
    "file.no_units_sheet": (
        "{name}: the workbook has sheets {sheets} and none is named 'units'; put the unit table "
        "on a sheet named 'units' (the template does)",
        "{name}: sổ tính có các trang {sheets} nhưng không trang nào tên là 'units'; hãy đặt "
        "bảng đơn vị vào trang tên 'units' (như tệp mẫu)",
    ),
    "file.merged_cells": (
        "{name}, sheet '{sheet}': merged cells ({ranges}); unmerge them so that every unit has "
        "one row and every column one header",
        "{name}, trang '{sheet}': có ô gộp ({ranges}); hãy bỏ gộp để mỗi đơn vị một dòng và mỗi "
        "cột một tiêu đề",
    ),
    "file.xlsx_formula": (
        "{name}, sheet '{sheet}', cell {cell}: holds a formula ({value}); paste values only "
        "(Paste Special → Values)",
        "{name}, trang '{sheet}', ô {cell}: chứa công thức ({value}); hãy chỉ dán giá trị (Dán "
        "đặc biệt → Giá trị)",
    ),
    "file.empty_sheet": (
        "{name}, sheet '{sheet}': the sheet is empty",
        "{name}, trang '{sheet}': trang tính trống",
    ),
    # -- the bundled data, templates and the scenario's lookups (fiscal.data, fiscal.pipeline)
    "data.no_province": (
        "no province with code '{code}' in the bundled dataset; codes: {codes}",
        "bộ dữ liệu kèm theo không có tỉnh mã '{code}'; các mã: {codes}",
    ),
    "data.template_format": (
        "unknown template format '{fmt}'; use csv or xlsx",
        "không có định dạng tệp mẫu '{fmt}'; hãy dùng csv hoặc xlsx",
    ),
    "data.template_suffix": (
        "{path}: a template must be .csv or .xlsx",
        "{path}: tệp mẫu phải là .csv hoặc .xlsx",
    ),
    "data.coefficient_unkeyed": (
        "{where}: {at}, column '{by}': '{value}' has no coefficient (it would get "
        "default_coefficient {default:g}) but looks like the key '{key}', differing in case, "
        "width, spacing or diacritics; write the two alike, or add a key '{value}' if it is "
        "another value",
        "{where}: {at}, cột {by:column}: '{value}' không có hệ số (sẽ nhận hệ số mặc định "
        "{default:g}) nhưng trông giống khoá '{key}', chỉ khác chữ hoa/thường, độ rộng, khoảng "
        "trắng hoặc dấu; hãy viết thống nhất, hoặc thêm khoá '{value}' nếu đó là giá trị khác",
    ),
    "data.coefficient_key_lookalike": (
        "{where}: the key '{key}' matches no unit of {file} but looks like its value '{value}' "
        "(column '{by}'), differing in case, width, spacing or diacritics; write the key as the "
        "table does",
        "{where}: khoá '{key}' không khớp đơn vị nào của {file} nhưng trông giống giá trị "
        "'{value}' (cột {by:column}), chỉ khác chữ hoa/thường, độ rộng, khoảng trắng hoặc dấu; "
        "hãy viết khoá đúng như trong bảng",
    ),
    "data.coefficient_key_typo": (
        "{where}: the key '{key}' matches no unit of {file}, while {at}, column '{by}': "
        "'{value}' has no key and would get default_coefficient {default:g}; correct the key, "
        "or give '{value}' its own key if both are meant",
        "{where}: khoá '{key}' không khớp đơn vị nào của {file}, trong khi {at}, cột {by:column}: "
        "'{value}' không có khoá và sẽ nhận hệ số mặc định {default:g}; hãy sửa khoá, hoặc thêm "
        "khoá riêng cho '{value}' nếu cả hai đều đúng",
    ),
    "data.coefficients_where": (
        "need.criteria[{k}] ('{indicator}') coefficients by '{by}'",
        "need.criteria[{k}] ({indicator:column}), hệ số theo cột {by:column}",
    ),
    "data.zero_need": (
        "{at}: assessed need is 0 ({parts:parts} for unit {code}); a unit without need cannot share an "
        "envelope in proportion to need or be measured against it: give the indicator columns "
        "({indicators}) their values, or leave the unit out of the table",
        "{at}: nhu cầu chi xác định được bằng 0 ({parts:parts} của đơn vị {code}); đơn vị không có nhu "
        "cầu thì không thể chia tổng mức theo tỷ lệ nhu cầu hay so sánh với nhu cầu: hãy điền "
        "các cột chỉ tiêu ({indicators}), hoặc bỏ đơn vị này khỏi bảng",
    ),
    "data.zero_need_part": (
        "column '{column}' {value:g} × rate {rate:g}{coefficient}",
        "cột {column:column} {value:g} × định mức {rate:g}{coefficient}",
    ),
    "data.zero_need_coefficient": (
        " × coefficient {coefficient:g} ({by} '{value}')",
        " × hệ số {coefficient:g} ({by:column} '{value}')",
    ),
    "data.province_scenario": (
        "{source}: scenario.province: {detail}",
        "{source}: scenario.province: {detail}",
    ),
    "data.upload_all": (
        "{name}: an uploaded commune table is used with a one-province commune scenario; for "
        "every province at once, name the file as the scenario's dataset (scenario.dataset) and "
        "run it with `fiscal solve`",
        "{name}: bảng xã tải lên chỉ dùng với kịch bản phân bổ cho xã của một tỉnh; để chạy mọi "
        "tỉnh cùng lúc, hãy khai báo tệp làm bộ dữ liệu của kịch bản (scenario.dataset) và chạy "
        "bằng `fiscal solve`",
    ),
    "data.upload_no_parent": (
        "{name}: no commune has parent '{province}', the province this scenario allocates to; "
        "upload that province's communes",
        "{name}: không có xã nào thuộc tỉnh '{province}', tỉnh mà kịch bản này phân bổ; hãy tải "
        "lên bảng các xã của tỉnh đó",
    ),
}
