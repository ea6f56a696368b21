import Testing
import Template

@Test func rendersAVariable() throws {
    let template = try Template("안녕하세요, {{ user.name }}님! {% for x in items %}{{ loop.index }}:{{ x }} {% endfor %}")
    #expect(try template.render(["user": ["name": "민지"], "items": ["a", 1, 2.0]]) == "안녕하세요, 민지님! 1:a 2:1 3:2.0 ")
}

