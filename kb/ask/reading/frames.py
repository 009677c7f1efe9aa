"""The frame of a question's story: phrases that name no subject (saying and hearing, the asker's
errand, post and history, the register of letters, where the story happens), and the openings of
a clause that tell who sent the asker."""

from __future__ import annotations

from kb.normalize import normalize

# the frame of a report or a complaint: verbs of saying and hearing, placing words ("được chấm ở
# chỉ số nào")
FRAME = frozenset(
    tuple(normalize(s).split())
    for s in (
        " phản ánh | phàn nàn | than phiền | kêu ca | kêu | người ta | nghe nói |"
        " được biết | em thấy | tôi thấy | cho rằng | nhận xét | doanh nghiệp bảo | họ bảo |"
        " người ta bảo | bảo là |"
        # who asked the asker to ask: "sếp bảo em hỏi", "lãnh đạo giao em tìm hiểu"
        " sếp bảo | sếp giao | sếp nhờ | sếp yêu cầu | lãnh đạo bảo | lãnh đạo giao |"
        " lãnh đạo yêu cầu |"
        # the asker's own errand, not a task of the plans: "lãnh đạo giao em rà soát lại …"
        " yêu cầu rà soát | giao rà soát | giao em rà soát | giao tôi rà soát | nhờ rà soát |"
        " đang rà soát | cần rà soát lại | rà soát lại |"
        # the asker's head and what the answer is for: "thủ trưởng đơn vị em muốn nắm …, để lên
        # kế hoạch năm nay" ("Thủ trưởng các Sở, ban, ngành" of the plans is no asker's head)
        " thủ trưởng đơn vị | thủ trưởng cơ quan | muốn nắm | để lên kế hoạch |"
        # a list asked of the bot: "kính đề nghị cung cấp danh mục các chỉ số …"
        " cung cấp danh mục | cung cấp danh sách | cung cấp giúp |"
        # the asker's own history: "mới chuyển công tác về", "người cũ nghỉ rồi"
        " chuyển công tác | mới chuyển công tác | người cũ | nghỉ việc | nghỉ hưu | nghỉ rồi |"
        " đã nghỉ |"
        # what the asker is doing it for: "đơn vị đang chuẩn bị báo cáo về PGI"; the pointer to
        # the indicator meant, "chỉ số tương ứng"; acting at all, "chính quyền chỉ vào cuộc khi …"
        " chuẩn bị | đang chuẩn bị | tương ứng | vào cuộc | bức xúc |"
        # how bad it is, said with feeling: "bốc mùi kinh khủng"
        " kinh khủng | khủng khiếp | vô cùng | cực kỳ | ghê gớm | quá trời |"
        # a commune's name qualified: "xã Hữu Lũng (xã mới từ 1/7/2025)", "sau sắp xếp"
        " xã mới | phường mới | xã cũ | phường cũ | sau sắp xếp | sau sáp nhập | trước sáp nhập |"
        # asking the bot for help, and the register of official letters: "nhờ tra giúp", "chào trợ
        # lý ảo", "Sở … đề nghị Ban cung cấp"
        " nhờ tra giúp | tra giúp | tra cứu giúp | trợ lý ảo | chatbot | đề nghị | nói là |"
        " nói rằng | cho hay | được chấm ở | chấm ở | được chấm | được tính vào | tính vào |"
        # "ô nhiễm xảy ra mà …": what happens, no subject
        " tính ở | nằm trong | nằm ở | thuộc về | xảy ra |"
        " gặp phải | góp phần | đợt này | lần này | hiện tại | nắm rõ | chưa nắm | chưa rõ |"
        # the 2025 reorganisation as the asker's story: "xã em mới sáp nhập", "nay sở tôi tiếp
        # nhận", "nhận bàn giao"
        " sáp nhập | sát nhập | hợp nhất | tiếp nhận | bàn giao | kế thừa | mới chuyển về |"
        " nhập vào | gộp vào | nhập về |"
        # the asker's post, in an introduction: "tôi là phó phòng …", "em là chuyên viên …"
        " chuyên viên | phó phòng | phó trưởng phòng | trưởng phòng | cán bộ phụ trách |"
        " là cán bộ | là viên chức | là công chức | nguyên là | cán bộ phòng | thôi hoạt động |"
        " nay về |"
        " văn thư | kế toán | phó giám đốc | phó chánh văn phòng | chánh văn phòng |"
        # what the answer is for: "để đưa vào báo cáo", "phục vụ báo cáo"
        " đưa vào | phục vụ | xem lại |"
        # the index the indicator belongs to, as a place: "trong bộ PGI cái này thuộc chỉ số nào"
        " trong bộ pgi | bộ chỉ số pgi | bộ pgi | trong bộ chỉ số |"
        # the story's setting, no subject: where ("khu phố", "nhà máy bên cạnh"), how the item
        # reached the asker ("trả lời khảo sát", "trong phụ lục"), whether there is still time
        " khu phố | tổ dân phố | thôn | xóm | bên cạnh | gần đây | khảo sát | trả lời khảo sát |"
        " phiếu khảo sát | survey | phụ lục | còn kịp | kịp không | in time | một kiểu |"
        # the register of letters and of the Party's bodies: "quý cơ quan", "xin phép hỏi", "đồng
        # chí cho tôi hỏi", "Văn phòng HĐND và UBND xã …"
        " quý cơ quan | quý ban | quý sở | quý đơn vị | quý anh chị | xin phép | đồng chí |"
        " văn phòng | hội đồng nhân dân |"
        # the device the story happens on ("mở điện thoại ra không xem được"), not the network
        " mở điện thoại | mở điện thoại ra | trên điện thoại | bằng điện thoại |"
        " điện thoại di động |"
        # "anh chị tra giúp em với" ("tra" alone is "trả")
        " không rõ | thắc mắc | băn khoăn | muốn biết | tra giúp | tra cứu |"
        " nhắc đến | nhắc tới | có nhắc | đề cập | đề cập đến | chấm điểm thấp |"
        " chấm điểm cao | chấm thấp | cho điểm thấp | đánh giá thấp | cần biết | tìm hiểu |"
        " complain | complains | complained | complaining | say | says | said | report |"
        " reported |"
        " heard |"
    ).split("|")
    if s.strip()
)
FRAME_MAX = max(len(f) for f in FRAME)


# who sent the asker, opening a clause: "Lãnh đạo giao em rà soát lại các nhiệm vụ PGI, nhờ anh chị
# cho biết …" (the errand is the setting; the question is the clause that asks)
ERRAND = tuple(
    tuple(normalize(s).split())
    for s in (
        "lãnh đạo giao", "lãnh đạo yêu cầu", "lãnh đạo bảo", "lãnh đạo nhờ", "lãnh đạo sở giao",
        "lãnh đạo sở yêu cầu", "lãnh đạo ban giao", "lãnh đạo ban yêu cầu", "sếp giao",
        "sếp bảo", "sếp nhờ", "sếp yêu cầu", "sếp em giao", "sếp em bảo", "my boss asked",
    )
)  # fmt: skip
