# The mail merge of make bench (tests/bench/gen.sh): an XML list of `letters` letters, for
# letter.xsl (XSLT 1.0 -> XSL-FO, the engine and Apache FOP) and letter.typ (Typst).
#
#   awk -v letters=500 -v xml=OUT.xml -f letters.awk seed-fr.txt seed-ru.txt seed-bg.txt
#
# Each letter: a recipient (name, street, city), a date, a subject, a greeting, one or two
# paragraphs of the seed text of its language (fr, ru, bg in turn), a closing.  Short
# enough for one page each.  Run with LC_ALL=C.

function chars(s,    t, n) {
    t = s
    n = gsub(/[\200-\277]/, "", t)
    return length(s) - n
}

function esc(s) {
    gsub(/&/, "\\&amp;", s)
    gsub(/</, "\\&lt;", s)
    gsub(/>/, "\\&gt;", s)
    return s
}

function pick(list, i,    a, n) {       # the i-th (from 0, in turn) of a |-separated list
    n = split(list, a, "|")
    return a[i % n + 1]
}

function next_para(lang) {
    pi[lang] = pi[lang] % np[lang] + 1
    return para[lang, pi[lang]]
}

BEGIN {
    if (letters == "") letters = 500
    name["fr"] = "Mme Sophie Lefèvre|M. Julien Moreau|Mme Claire Dubois|M. Antoine Girard|Mme Élodie Fontaine|M. Thomas Laurent|Mme Camille Bernard|M. Nicolas Roux"
    street["fr"] = "rue des Lilas|avenue Jean-Jaurès|boulevard Voltaire|place Bellecour|rue de la République|quai Perrache"
    city["fr"] = "69003 Lyon|75011 Paris|13006 Marseille|31000 Toulouse|33000 Bordeaux|44000 Nantes"
    date["fr"] = "Lyon, le 4 mars 2024"
    subject["fr"] = "Votre formation « Des relations client fructueuses »"
    greeting["fr"] = "Madame, Monsieur,"
    closing["fr"] = "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées."

    name["ru"] = "Анна Сергеевна Петрова|Иван Николаевич Смирнов|Ольга Викторовна Козлова|Дмитрий Андреевич Волков|Елена Павловна Морозова|Сергей Игоревич Новиков|Мария Александровна Соколова|Павел Олегович Лебедев"
    street["ru"] = "ул. Тверская|Невский пр.|ул. Ленина|ул. Пушкина|пр. Мира|ул. Садовая"
    city["ru"] = "125009 Москва|191025 Санкт-Петербург|620014 Екатеринбург|630099 Новосибирск|420111 Казань|603005 Нижний Новгород"
    date["ru"] = "Лион, 4 марта 2024 г."
    subject["ru"] = "Ваш курс «Плодотворные отношения с клиентами»"
    greeting["ru"] = "Здравствуйте!"
    closing["ru"] = "С уважением,"

    name["bg"] = "Мария Иванова|Георги Петров|Елена Димитрова|Николай Стоянов|Иванка Георгиева|Христо Николов|Десислава Тодорова|Стефан Василев"
    street["bg"] = "ул. „Витоша“|бул. „Цар Освободител“|ул. „Граф Игнатиев“|бул. „България“|ул. „Раковски“|ул. „Шипка“"
    city["bg"] = "1000 София|4000 Пловдив|9000 Варна|8000 Бургас|7000 Русе|5000 Велико Търново"
    date["bg"] = "Лион, 4 март 2024 г."
    subject["bg"] = "Вашият курс „Плодотворни отношения с клиентите“"
    greeting["bg"] = "Уважаеми госпожи и господа,"
    closing["bg"] = "С уважение,"
}

FNR == 1 {
    lang = FILENAME
    sub(/.*seed-/, "", lang)
    sub(/\.[a-z]*$/, "", lang)
    langs[++nl] = lang
}

{
    s = $0
    gsub(/[\r\t]/, " ", s)
    gsub(/  +/, " ", s)
    sub(/^ /, "", s)
    sub(/ $/, "", s)
    n = chars(s)
    if (n >= 150 && n <= 700)
        para[lang, ++np[lang]] = s
}

END {
    for (i = 1; i <= nl; i++)
        if (np[langs[i]] == 0 || name[langs[i]] == "") {
            print "letters.awk: no paragraphs or names for " langs[i] > "/dev/stderr"
            exit 1
        }
    printf "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" > xml
    printf "<!-- The mail merge of make bench (tests/bench/letters.awk): %d letters.  Generated: do not edit. -->\n", letters > xml
    printf "<letters>\n" > xml
    printf "  <sender>\n    <name>Académie des relations client</name>\n    <address>8, quai Saint-Vincent · 69001 Lyon · France</address>\n" > xml
    printf "    <contact>+33 4 72 00 00 00 · contact@relations-client.example</contact>\n    <signatory>Claire Martin</signatory>\n  </sender>\n" > xml
    for (i = 0; i < letters; i++) {
        lang = langs[i % nl + 1]
        k = int(i / nl)
        printf "  <letter id=\"L%04d\" xml:lang=\"%s\">\n", i + 1, lang > xml
        printf "    <recipient>\n      <name>%s</name>\n", pick(name[lang], k) > xml
        printf "      <street>%d, %s</street>\n", 1 + (k * 7) % 97, pick(street[lang], k + int(k / 8)) > xml
        printf "      <city>%s</city>\n    </recipient>\n", pick(city[lang], k + int(k / 6)) > xml
        printf "    <date>%s</date>\n    <subject>%s</subject>\n    <greeting>%s</greeting>\n", date[lang], esc(subject[lang]), greeting[lang] > xml
        p = next_para(lang)
        printf "    <p>%s</p>\n", esc(p) > xml
        if (i % 2 == 0 || chars(p) < 400)
            printf "    <p>%s</p>\n", esc(next_para(lang)) > xml
        printf "    <closing>%s</closing>\n  </letter>\n", esc(closing[lang]) > xml
    }
    printf "</letters>\n" > xml
    close(xml)
}
